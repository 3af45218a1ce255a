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
        Assert.Equal((2m, 110.022m, 0.220044m, Close), (fill.Fill!.Quantity, fill.Fill!.Price, fill.Fill!.Fee, fill.Fill!.FilledAt));
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

        Assert.Equal([("a-1", 5m, 99.98m)], first.Select(f => (f.Fill!.ClientOrderId, f.Fill!.Quantity, f.Fill!.Price)));
        Assert.Equal(OrderStatus.PartiallyFilled, first[0].Report.Status);
        Assert.Equal([("a-1", 2m, OrderStatus.Filled), ("b-1", 1m, OrderStatus.PartiallyFilled)],
            second.Select(f => (f.Fill!.ClientOrderId, f.Fill!.Quantity, f.Report.Status)));
        Assert.Equal(7m, second[0].Report.VenueFilledQuantity);
    }

    [Fact]
    public async Task With_latency_an_order_skips_that_many_bars_and_other_symbols_bars_never_fill_it()
    {
        var venue = Venue(latencyBars: 2);
        await venue.PlaceOrderAsync(Order("a-1", OrderSide.Buy, 1m), CancellationToken.None);

        Assert.Empty(venue.Match([Bar(0, 100m, 1_000m), Bar(0, 100m, 1_000m, "ETHUSDT")]));
        Assert.Empty(venue.Match([Bar(1, 101m, 1_000m)]));
        Assert.Equal(102m * 1.0002m, Assert.Single(venue.Match([Bar(2, 102m, 1_000m)])).Fill!.Price);
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

    private static OrderRequest LimitOrder(string id, OrderSide side, decimal quantity, decimal limit, TimeInForce timeInForce = TimeInForce.Gtc, OrderType type = OrderType.Limit) =>
        Order(id, side, quantity) with { Limit = new LimitTerms(type, limit, timeInForce) };

    /// <summary>A bar with its own range, opening <paramref name="barsAfter"/> bars after the signal bar closed.</summary>
    private static Candle Ranged(int barsAfter, decimal open, decimal high, decimal low, decimal volume = 1_000m) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Close.AddMinutes(5 * barsAfter), open, high, low, open, volume, Close);

    [Fact]
    public async Task A_gtc_limit_rests_until_a_bar_trades_through_it_and_fills_there_within_the_participation_cap()
    {
        var venue = Venue(cap: 0.1);
        await venue.PlaceOrderAsync(LimitOrder("a-1", OrderSide.Buy, 8m, limit: 95m), CancellationToken.None);

        // Low 95 only touches the limit: no fill (queue position unknown).
        Assert.Empty(venue.Match([Ranged(0, open: 100m, high: 101m, low: 95m)]));
        // Opens at 96 (above the limit), trades down to 94: 10 % of 50 = 5 filled at the limit 95.
        var first = Assert.Single(venue.Match([Ranged(1, open: 96m, high: 97m, low: 94m, volume: 50m)]));
        // Gaps open at 90: the last 3 at 90 × 1.0002 = 90.018, better than the limit.
        var second = Assert.Single(venue.Match([Ranged(2, open: 90m, high: 92m, low: 89m)]));

        Assert.Equal((5m, 95m, OrderStatus.PartiallyFilled), (first.Fill!.Quantity, first.Fill.Price, first.Report.Status));
        Assert.Equal((3m, 90.018m, OrderStatus.Filled), (second.Fill!.Quantity, second.Fill.Price, second.Report.Status));
    }

    [Fact]
    public async Task Ioc_and_fok_get_their_first_bar_and_expire_on_it_with_what_it_gave()
    {
        var venue = Venue(cap: 0.1);
        await venue.PlaceOrderAsync(LimitOrder("away", OrderSide.Sell, 1m, limit: 120m, TimeInForce.Ioc), CancellationToken.None);
        await venue.PlaceOrderAsync(LimitOrder("partial", OrderSide.Buy, 8m, limit: 101m, TimeInForce.Ioc), CancellationToken.None);
        await venue.PlaceOrderAsync(LimitOrder("killed", OrderSide.Buy, 2m, limit: 101m, TimeInForce.Fok), CancellationToken.None);

        // 10 % of 50 = 5 for the symbol: "partial" takes all 5 at 100 × 1.0002 = 100.02, so "killed" cannot fill whole.
        var reports = venue.Match([Ranged(0, open: 100m, high: 102m, low: 99m, volume: 50m)]);

        Assert.Equal(
            [("away", OrderStatus.Cancelled, 0m, (decimal?)null), ("partial", OrderStatus.Cancelled, 5m, 100.02m), ("killed", OrderStatus.Cancelled, 0m, null)],
            reports.Select(r => (r.Report.ClientOrderId, r.Report.Status, r.Report.VenueFilledQuantity ?? 0, r.Fill?.Price)));
        Assert.All(reports, r => Assert.StartsWith("expired", r.Report.RejectReason));
        Assert.Empty(venue.Match([Ranged(1, open: 90m, high: 130m, low: 80m)]));
    }

    [Fact]
    public async Task A_limit_maker_that_would_take_at_the_last_close_is_rejected()
    {
        var venue = Venue();
        // Before any bar the venue has no price: a limit maker is accepted.
        Assert.Equal(OrderStatus.New, (await venue.PlaceOrderAsync(LimitOrder("early", OrderSide.Buy, 1m, 150m, type: OrderType.LimitMaker), CancellationToken.None)).Status);
        venue.Match([Ranged(0, open: 100m, high: 102m, low: 98m)]); // closes at 100 (and fills "early" at the open)

        var taking = await venue.PlaceOrderAsync(LimitOrder("taking", OrderSide.Buy, 1m, 100.5m, type: OrderType.LimitMaker), CancellationToken.None);
        var passive = await venue.PlaceOrderAsync(LimitOrder("passive", OrderSide.Buy, 1m, 99.5m, type: OrderType.LimitMaker), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, taking.Status);
        Assert.Contains("would immediately match and take", taking.RejectReason);
        Assert.Equal(OrderStatus.New, passive.Status);
    }
}
