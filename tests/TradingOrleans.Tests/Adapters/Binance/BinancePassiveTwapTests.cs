using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Adapters.Binance.BinanceOrderPathTests;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// A passive TWAP buy worked by an execution grain on a local Binance-speaking exchange: LIMIT_MAKER children at the
/// touch, one refused for taking and rested a tick away, withdrawals that fills race (the exchange fills part or all of
/// the child before it answers the cancel), the remainder crossed at market at the deadline; the venue executes exactly
/// the parent's quantity.
/// </summary>
public sealed class BinancePassiveTwapTests
{
    /// <summary>Three slices of ten minutes over five-minute bars: slice 1's deadline is bar 2's close, slice 2's bar 4's, slice 3's bar 6's.</summary>
    private static readonly ExecutionInstruction PassiveTwap3 = new("twap", TimeSpan.FromMinutes(30), Slices: 3, Passive: true);

    private static Candle Bar(int index, decimal close) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * index), close, close, close, close, 10m, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_passive_twap_rests_limit_makers_at_the_touch_reprices_through_racing_fills_and_crosses_at_the_deadline_to_exactly_its_quantity()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        // Polling is slowed to an hour (the cancels' answers bring each child's end), and the grain waits for every answer.
        var settings = Settings(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromHours(1));
        settings["Trading:Execution:VenueAnswerWait"] = "00:00:10";
        await using var cluster = await Start(settings, exchange);
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var intent = Intent("passive", 0.03m, PassiveTwap3);
        var id = intent.IntentId;

        // No bar yet: the touch is the arrival price, 30,000, where the book's ask is. Binance refuses the LIMIT_MAKER
        // (-2010 "Order would immediately match and take."), and slice 1 rests one tick (0.000001) below instead.
        await execution.Execute(intent, null);
        var order = await Until(execution, id, o => o.Children.Count == 2, "slice 1 resting a tick away");
        Assert.Matches("&type=LIMIT_MAKER&quantity=0.01&price=30000&", exchange.NewOrderQueryStrings[0]);
        Assert.Equal((OrderStatus.Rejected, true), (order.Children[0].Status, order.Children[0].WouldTake));
        Assert.Equal((0.01m, 29_999.999999m, OrderStatus.New), (order.Children[1].Quantity, order.Children[1].Limit!.Price, order.Children[1].Status));
        Assert.Equal((OrderStatus.Working, null), (order.Status, order.RejectReason));

        // The market rises: bid 30,010, ask 30,020. The child is withdrawn, but 0.004 of it trades before the cancel lands:
        // the replacement is the 0.006 the venue left, at the new touch.
        exchange.Price = 30_020m;
        exchange.TradeBeforeCancel($"{id}-2", 0.004m);
        await execution.OnBar(Bar(1, 30_010m), null);
        order = await Until(execution, id, o => o.Children.Count == 3, "slice 1 repriced");
        Assert.Equal((OrderStatus.Cancelled, 0.004m), (order.Children[1].Status, order.Children[1].FilledQuantity));
        Assert.Equal((0.006m, 30_010m, OrderStatus.New), (order.Children[2].Quantity, order.Children[2].Limit!.Price, order.Children[2].Status));

        // Slice 1's deadline: the child is withdrawn with 0.002 traded in the race, exactly the 0.004 slice 1 still lacks
        // crosses at market (filled at the ask), and slice 2 rests at the touch.
        exchange.TradeBeforeCancel($"{id}-3", 0.002m);
        await execution.OnBar(Bar(2, 30_010m), null);
        order = await Until(execution, id, o => o.Children.Count == 5, "the cross and slice 2");
        Assert.Equal((OrderStatus.Cancelled, 0.002m), (order.Children[2].Status, order.Children[2].FilledQuantity));
        Assert.Equal((0.004m, null, OrderStatus.Filled), (order.Children[3].Quantity, order.Children[3].Limit, order.Children[3].Status));
        Assert.Equal((0.01m, 30_010m), (order.Children[4].Quantity, order.Children[4].Limit!.Price));
        Assert.Matches("&type=MARKET&quantity=0.004&", exchange.NewOrderQueryStrings[3]);

        // Slice 2 fills resting (the stream reports the trade); slice 3 rests at the touch when it starts.
        await exchange.TradeAsync($"{id}-5", 0.01m);
        await Until(execution, id, o => o.FilledQuantity == 0.02m, "slice 2 filled");
        // (Bars are one-way calls, delivered in no set order: only those the test waits on are sent.)
        await execution.OnBar(Bar(4, 30_005m), null);
        order = await Until(execution, id, o => o.Children.Count == 6, "slice 3 resting");
        Assert.Equal((0.01m, 30_005m), (order.Children[5].Quantity, order.Children[5].Limit!.Price));

        // At the end of the span slice 3 is withdrawn, but it fills whole first: Binance answers the cancel -2011, the
        // order's final state says FILLED, and nothing crosses.
        exchange.TradeBeforeCancel($"{id}-6", 0.01m);
        await execution.OnBar(Bar(6, 30_005m), null);
        order = await Until(execution, id, o => o.Status == OrderStatus.Filled, "the parent to fill");

        Assert.Equal(0.03m, order.FilledQuantity);
        Assert.Equal(0.03m, exchange.Orders.Sum(o => o.Executed));
        Assert.Equal(
            [("LIMIT_MAKER", 0.01m, "CANCELED"), ("LIMIT_MAKER", 0.006m, "CANCELED"), ("MARKET", 0.004m, "FILLED"), ("LIMIT_MAKER", 0.01m, "FILLED"), ("LIMIT_MAKER", 0.01m, "FILLED")],
            exchange.Orders.Select(o => (o.Type, o.Quantity, o.Status)));
        Assert.Equal(6, order.Children.Count);
        await AssertVenueAndPortfolioAgree(cluster, exchange, order);
    }

    private static async Task<ParentOrder> Until(IExecutionGrain execution, string orderId, Func<ParentOrder, bool> condition, string what) =>
        (await Eventually.Returns(() => execution.GetOrder(orderId), o => o is not null && condition(o), TimeSpan.FromSeconds(20), what))!;
}
