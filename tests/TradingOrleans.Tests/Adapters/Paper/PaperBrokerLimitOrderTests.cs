using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Tests.Adapters.Paper;

/// <summary>
/// The immediate paper venue's limit orders: what is marketable against the reference price (slipped 2 bps, the
/// venue's best price) fills at once, at that price; the rest rests, expires or is refused as its type says; a resting
/// order fills on a later bar only when the bar trades through its limit.
/// </summary>
public sealed class PaperBrokerLimitOrderTests
{
    private static readonly DateTimeOffset Decided = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static PaperBroker Broker(decimal bookLevelQuantity = 0) => new(
        new PaperVenueOptions { Name = "paper", FeeBps = 10m, SlippageBps = 2m, BookLevelQuantity = bookLevelQuantity, BookLevels = 2, LevelSpacingBps = 5m },
        new FakeTimeProvider(Decided));

    private static OrderRequest Limit(OrderSide side, decimal price, TimeInForce timeInForce = TimeInForce.Gtc, decimal quantity = 0.5m, string id = "o-1", OrderType type = OrderType.Limit) =>
        new(id, "BTCUSDT", side, quantity, 20_000m, Decided, new LimitTerms(type, price, timeInForce));

    /// <summary>A one-minute bar opening <paramref name="minutesAfter"/> minutes after the order was decided.</summary>
    private static Candle Bar(int minutesAfter, decimal open, decimal high, decimal low, string symbol = "BTCUSDT") =>
        new(symbol, TimeSpan.FromMinutes(1), Decided.AddMinutes(minutesAfter), open, high, low, open, 10m, Decided);

    [Fact]
    public async Task A_marketable_limit_fills_at_once_at_the_venues_price_not_at_the_limit()
    {
        var ack = await Broker().PlaceOrderAsync(Limit(OrderSide.Buy, 20_050m), CancellationToken.None);

        // Best ask 20,000 × 1.0002 = 20,004, within the limit 20,050: the buyer pays 20,004.
        Assert.Equal(OrderStatus.Filled, ack.Status);
        Assert.Equal((0.5m, 20_004m), (ack.Fills[0].Quantity, ack.Fills[0].Price));
    }

    [Fact]
    public async Task A_gtc_limit_away_from_the_market_rests_and_fills_at_its_limit_when_a_later_bar_trades_through_it()
    {
        var broker = Broker();
        var ack = await broker.PlaceOrderAsync(Limit(OrderSide.Buy, 19_900m), CancellationToken.None);
        Assert.Equal((OrderStatus.New, 0), (ack.Status, ack.Fills.Count));

        // The signal bar itself (opened before the order was decided) and a bar that only touches the limit do nothing.
        Assert.Empty(broker.MatchRestingOrders(Bar(-1, 19_950m, 20_000m, 19_800m)));
        Assert.Empty(broker.MatchRestingOrders(Bar(0, 19_950m, 20_000m, 19_900m)));
        Assert.Empty(broker.MatchRestingOrders(Bar(1, 19_950m, 20_000m, 19_850m, symbol: "ETHUSDT")));

        var report = Assert.Single(broker.MatchRestingOrders(Bar(1, 19_950m, 20_000m, 19_899.99m)));

        // Opened at 19,950 (above the limit), traded down through 19,900: filled at 19,900; fee 0.5 × 19,900 × 0.001 = 9.95.
        Assert.Equal(OrderStatus.Filled, report.Status);
        var fill = Assert.Single(report.Fills);
        Assert.Equal((0.5m, 19_900m, 9.95m, Decided.AddMinutes(1)), (fill.Quantity, fill.Price, fill.Fee, fill.FilledAt));
        Assert.Empty(broker.MatchRestingOrders(Bar(2, 19_000m, 19_100m, 18_000m)));
    }

    [Fact]
    public async Task A_resting_sell_filled_by_a_gap_gets_the_open_slipped_not_its_limit()
    {
        var broker = Broker();
        await broker.PlaceOrderAsync(Limit(OrderSide.Sell, 20_100m), CancellationToken.None);

        var report = Assert.Single(broker.MatchRestingOrders(Bar(1, 20_300m, 20_400m, 20_250m)));

        // 20,300 × (1 − 0.0002) = 20,295.94, better than the limit 20,100.
        Assert.Equal(20_295.94m, report.Fills[0].Price);
    }

    [Fact]
    public async Task Ioc_takes_the_levels_its_limit_allows_and_the_rest_expires()
    {
        // Book: 0.2 at 20,004 and 0.2 at 20,000 × 1.0007 = 20,014; the limit 20,010 allows the first level only.
        var ack = await Broker(bookLevelQuantity: 0.2m).PlaceOrderAsync(Limit(OrderSide.Buy, 20_010m, TimeInForce.Ioc), CancellationToken.None);

        Assert.Equal(OrderStatus.Cancelled, ack.Status);
        Assert.Equal([(0.2m, 20_004m)], ack.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Equal(0.2m, ack.VenueFilledQuantity);
        Assert.Contains("0.3 unfilled", ack.RejectReason);
    }

    [Fact]
    public async Task Ioc_away_from_the_market_expires_with_nothing()
    {
        var broker = Broker();
        var ack = await broker.PlaceOrderAsync(Limit(OrderSide.Sell, 20_500m, TimeInForce.Ioc), CancellationToken.None);

        Assert.Equal((OrderStatus.Cancelled, 0), (ack.Status, ack.Fills.Count));
        Assert.Empty(broker.MatchRestingOrders(Bar(1, 21_000m, 21_000m, 21_000m)));
    }

    [Fact]
    public async Task Fok_fills_all_of_it_at_once_or_none_of_it()
    {
        var broker = Broker(bookLevelQuantity: 0.2m);

        var killed = await broker.PlaceOrderAsync(Limit(OrderSide.Buy, 20_010m, TimeInForce.Fok), CancellationToken.None);
        var filled = await broker.PlaceOrderAsync(Limit(OrderSide.Buy, 20_020m, TimeInForce.Fok, quantity: 0.4m, id: "o-2"), CancellationToken.None);

        Assert.Equal((OrderStatus.Cancelled, 0), (killed.Status, killed.Fills.Count));
        Assert.Contains("fill or kill", killed.RejectReason);
        Assert.Equal(OrderStatus.Filled, filled.Status);
        Assert.Equal([(0.2m, 20_004m), (0.2m, 20_014m)], filled.Fills.Select(f => (f.Quantity, f.Price)));
    }

    [Fact]
    public async Task A_limit_maker_that_would_take_is_rejected_and_one_that_would_not_rests()
    {
        var broker = Broker();

        var taking = await broker.PlaceOrderAsync(Limit(OrderSide.Sell, 19_990m, type: OrderType.LimitMaker), CancellationToken.None);
        var resting = await broker.PlaceOrderAsync(Limit(OrderSide.Sell, 20_100m, id: "o-2", type: OrderType.LimitMaker), CancellationToken.None);

        Assert.Equal((OrderStatus.Rejected, 0), (taking.Status, taking.Fills.Count));
        Assert.Contains("would immediately match and take", taking.RejectReason);
        Assert.Equal(OrderStatus.New, resting.Status);
    }

    [Fact]
    public async Task A_cancelled_resting_order_keeps_its_fills_and_fills_no_more()
    {
        var broker = Broker(bookLevelQuantity: 0.2m);
        var request = Limit(OrderSide.Buy, 20_010m);
        var partial = await broker.PlaceOrderAsync(request, CancellationToken.None);
        Assert.Equal((OrderStatus.PartiallyFilled, 0.2m), (partial.Status, partial.VenueFilledQuantity));

        var cancelled = await broker.CancelOrderAsync(request, CancellationToken.None);

        Assert.Equal((OrderStatus.Cancelled, 0.2m), (cancelled!.Status, cancelled.VenueFilledQuantity));
        Assert.Empty(broker.MatchRestingOrders(Bar(1, 19_000m, 19_000m, 18_000m)));
    }

    [Fact]
    public async Task A_limit_order_is_valued_at_its_limit_for_the_minimum_notional()
    {
        var broker = new PaperBroker(new PaperVenueOptions { Name = "paper", MinNotional = 10m }, new FakeTimeProvider(Decided));

        // 0.001 × 20,000 = 20 would pass; at its limit 0.001 × 9,000 = 9 is below 10.
        var ack = await broker.PlaceOrderAsync(Limit(OrderSide.Buy, 9_000m, quantity: 0.001m), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, ack.Status);
        Assert.Contains("notional 9.000 is below paper's minimum of 10", ack.RejectReason);
    }

    [Fact]
    public async Task An_order_the_venue_never_had_is_answered_cancelled_but_one_still_arriving_is_not_known_yet()
    {
        var clock = new FakeTimeProvider(Decided);
        var broker = new PaperBroker(new PaperVenueOptions { Name = "slow", Latency = TimeSpan.FromMilliseconds(40) }, clock);
        var arriving = broker.PlaceOrderAsync(Limit(OrderSide.Buy, 19_000m), CancellationToken.None);

        Assert.Null(await broker.QueryOrderAsync(Limit(OrderSide.Buy, 19_000m), CancellationToken.None));
        var lost = await broker.QueryOrderAsync(Limit(OrderSide.Buy, 19_000m, id: "before-a-restart"), CancellationToken.None);
        Assert.Equal((OrderStatus.Cancelled, 0), (lost!.Status, lost.Fills.Count));
        Assert.Contains("a restart ends what was resting", lost.RejectReason);

        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(OrderStatus.New, (await arriving).Status);
    }
}
