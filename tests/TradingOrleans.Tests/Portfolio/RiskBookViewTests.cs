using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

/// <summary>The risk view risk makes from the pushed book, checked against figures worked by hand.</summary>
public sealed class RiskBookViewTests
{
    private static readonly DateTimeOffset T = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    // Σ of A, B, C (rows and columns in that order).
    private static readonly ReturnCovariance Covariance = new(
        new Dictionary<string, int> { ["AUSDT"] = 0, ["BUSDT"] = 1, ["CUSDT"] = 2 },
        [0.04, 0.01, 0.002, 0.01, 0.09, -0.003, 0.002, -0.003, 0.01], 30, TimeSpan.FromMinutes(5));

    private static readonly Dictionary<string, PendingQuantity> NothingPending = [];

    private static RiskBook Book(VenueBalances? balances = null) => new(
        7, 10_000m, 250m, [new BookPosition("AUSDT", 2m, 100m), new BookPosition("BUSDT", -1m, 50m)],
        new Dictionary<string, decimal> { ["AUSDT"] = 100m, ["BUSDT"] = 50m, ["CUSDT"] = 20m }, T, Covariance, balances, []);

    [Fact]
    public void A_trade_is_viewed_with_the_open_orders_counted_as_held_and_the_traded_symbol_last()
    {
        var view = RiskBookView.Of(Book(), "CUSDT", new Dictionary<string, PendingQuantity> { ["AUSDT"] = new(1m, 99m), ["CUSDT"] = new(3m, 21m) });

        Assert.Equal(new SymbolExposure("CUSDT", 0m, 10_000m, 250m), view.Exposure);
        Assert.Equal(["AUSDT", "BUSDT", "CUSDT"], view.Symbols);
        Assert.Equal([3m, -1m, 3m], view.Quantities);
        Assert.Equal([100m, 50m, 20m], view.Prices);
        Assert.Equal([0.002, -0.003, 0.01], view.CovarianceWithTraded);
        Assert.Equal([0.04, 0.09, 0.01], view.Variances);
        // w = (300, −50, 60): Σw = (11.62, −1.68, 1.35), w'Σw = 3,486 + 84 + 81.
        Assert.Equal(3_651, view.PortfolioVariance, 9);
        Assert.Equal((30, TimeSpan.FromMinutes(5)), (view.ReturnObservations, view.BarInterval));
        Assert.Null(view.Available);
    }

    [Fact]
    public void An_open_order_in_a_symbol_the_book_has_not_marked_is_valued_at_its_reference_price()
    {
        // Approved before the portfolio's first mark of DUSDT reached the book: valued at nothing, it would leave room
        // under the gross limit that the order has already taken.
        var view = RiskBookView.Of(Book(), "AUSDT", new Dictionary<string, PendingQuantity> { ["DUSDT"] = new(4m, 25m) });

        Assert.Equal(["BUSDT", "DUSDT", "AUSDT"], view.Symbols);
        Assert.Equal([-1m, 4m, 2m], view.Quantities);
        Assert.Equal([50m, 25m, 100m], view.Prices);
    }

    [Fact]
    public void A_spread_leg_lists_the_other_leg_even_when_flat_and_unmarked()
    {
        var view = RiskBookView.Of(Book(), "AUSDT", NothingPending, alsoFlat: "DUSDT");

        Assert.Equal(["BUSDT", "DUSDT", "AUSDT"], view.Symbols);
        Assert.Equal([-1m, 0m, 2m], view.Quantities);
        Assert.Equal([50m, 0m, 100m], view.Prices);
        Assert.Equal([0.01, 0, 0.04], view.CovarianceWithTraded);
        Assert.Equal(2m, view.Exposure.PositionQuantity);
    }

    [Fact]
    public void A_close_newer_than_the_book_revalues_its_symbol_in_the_equity_and_the_exposures()
    {
        var view = RiskBookView.Of(Book(), "AUSDT", NothingPending, closes: new Dictionary<string, decimal> { ["AUSDT"] = 110m });

        // 2 A at 110 instead of 100: equity 10,000 + 20, gross |2 × 110| + |−1 × 50|.
        Assert.Equal(new SymbolExposure("AUSDT", 2m, 10_020m, 270m), view.Exposure);
        Assert.Equal([50m, 110m], view.Prices);
    }

    [Fact]
    public void A_venue_account_gives_the_traded_symbols_free_quote_and_base()
    {
        var free = new FreeBalances(new Dictionary<string, decimal> { ["USDT"] = 500m, ["AUSDT"] = 9m, ["A"] = 1.5m }, 0.001m, T, 3);

        var view = RiskBookView.Of(Book(new VenueBalances("USDT", free)), "AUSDT", NothingPending);
        var unread = RiskBookView.Of(Book(new VenueBalances("USDT", null)), "AUSDT", NothingPending);

        Assert.Equal(new AvailableBalance("USDT", 500m, "A", 1.5m, 0.001m, T), view.Available);
        Assert.Equal(new AvailableBalance("USDT", 0m, "A", 0m, 0m, null), unread.Available);
    }
}
