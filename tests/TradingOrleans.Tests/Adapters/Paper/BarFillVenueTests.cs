using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Tests.Adapters.Paper;

public sealed class BarFillVenueTests
{
    private static readonly DateTimeOffset Close = new(2021, 3, 1, 0, 5, 0, TimeSpan.Zero);

    private static BarFillVenue Venue(double cap = 0.1, int latencyBars = 0) =>
        new(new PaperVenueOptions { FeeBps = 10m, SlippageBps = 2m }, new PaperFillOptions { Model = PaperFillModel.NextBarOpen, ParticipationCap = cap, LatencyBars = latencyBars },
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)));

    private static OrderRequest Order(string id, OrderSide side, decimal quantity, decimal reference = 100m) => new(id, "BTCUSDT", side, quantity, reference, Close);

    /// <summary>The bar opening <paramref name="barsAfter"/> bars after the order's signal bar closed.</summary>
    private static Candle Bar(int barsAfter, decimal open, decimal volume, string symbol = "BTCUSDT") =>
        new(symbol, TimeSpan.FromMinutes(5), Close.AddMinutes(5 * barsAfter), open, open + 5, open - 5, open + 1, volume, Close);

    [Fact]
    public async Task A_market_order_rests_and_fills_at_the_next_bars_open_slipped_against_it_with_the_fee()
    {
        var venue = Venue();
        var placed = await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 2m), CancellationToken.None);

        var fills = venue.Match([Bar(0, open: 110m, volume: 1_000m)]);

        Assert.Equal(OrderStatus.New, placed.Status);
        var fill = Assert.Single(fills);
        // 110 × (1 + 2 bps) = 110.022; fee 2 × 110.022 × 10 bps = 0.220044; stamped at the bar's open.
        Assert.Equal((2m, 110.022m, 0.220044m, Close), (fill.Fill.Quantity, fill.Fill.Price, fill.Fill.Fee, fill.Fill.FilledAt));
        Assert.Equal(OrderStatus.Filled, fill.Report.Status);
        Assert.Equal(OrderStatus.Filled, (await venue.QueryOrderAsync(Order("a-1", OrderSide.Buy, 2m), CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_bar_fills_at_most_its_participation_cap_shared_in_order_and_the_rest_waits_for_later_bars()
    {
        var venue = Venue(cap: 0.1);
        await venue.PlaceOrderAsync(Order("a-1", OrderSide.Sell, 7m), CancellationToken.None);
        await venue.PlaceOrderAsync(Order("b-1", OrderSide.Sell, 2m), CancellationToken.None);

        // 10 % of 50 = 5: the first order takes all of it, the second waits.
        var first = venue.Match([Bar(0, open: 100m, volume: 50m)]);
        // 10 % of 30 = 3: the first order's last 2, then 1 of the second.
        var second = venue.Match([Bar(1, open: 90m, volume: 30m)]);

        Assert.Equal([("a-1", 5m, 99.98m)], first.Select(f => (f.Fill.ClientOrderId, f.Fill.Quantity, f.Fill.Price)));
        Assert.Equal(OrderStatus.PartiallyFilled, first[0].Report.Status);
        Assert.Equal([("a-1", 2m, OrderStatus.Filled), ("b-1", 1m, OrderStatus.PartiallyFilled)],
            second.Select(f => (f.Fill.ClientOrderId, f.Fill.Quantity, f.Report.Status)));
        Assert.Equal(7m, second[0].Report.VenueFilledQuantity);
    }

    [Fact]
    public async Task With_latency_an_order_skips_that_many_bars_and_other_symbols_bars_never_fill_it()
    {
        var venue = Venue(latencyBars: 2);
        await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 1m), CancellationToken.None);

        Assert.Empty(venue.Match([Bar(0, 100m, 1_000m), Bar(0, 100m, 1_000m, "ETHUSDT")]));
        Assert.Empty(venue.Match([Bar(1, 101m, 1_000m)]));
        Assert.Equal(102m * 1.0002m, Assert.Single(venue.Match([Bar(2, 102m, 1_000m)])).Fill.Price);
    }

    [Fact]
    public async Task Cancelling_keeps_what_filled_and_a_repeated_id_finds_the_first_order()
    {
        var venue = Venue(cap: 0.1);
        await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 10m), CancellationToken.None);
        venue.Match([Bar(0, 100m, 40m)]);

        var again = await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 10m), CancellationToken.None);
        var cancelled = await venue.CancelOrderAsync(Order("a-1", OrderSide.Buy, 10m), CancellationToken.None);

        Assert.Equal((OrderStatus.PartiallyFilled, 4m), (again.Status, again.VenueFilledQuantity));
        Assert.Equal((OrderStatus.Cancelled, 4m), (cancelled!.Status, cancelled.VenueFilledQuantity));
        Assert.Empty(venue.Match([Bar(1, 100m, 1_000m)]));
    }

    [Fact]
    public async Task An_order_outside_the_venues_filters_is_rejected_at_once()
    {
        var venue = new BarFillVenue(new PaperVenueOptions { MinNotional = 10m }, new PaperFillOptions { Model = PaperFillModel.NextBarOpen }, TimeProvider.System);

        var ack = await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 0.05m, reference: 100m), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, ack.Status);
        Assert.Contains("below paper's minimum of 10", ack.RejectReason);
        Assert.Empty(venue.Match([Bar(0, 100m, 1_000m)]));
    }
}
