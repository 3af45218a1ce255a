using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

public sealed class OrderBookTests
{
    private static readonly DateTimeOffset Ingested = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly OrderIntent Intent = new(
        "BTCUSDT-1609459500000-3", "BTCUSDT", OrderSide.Buy, 0.4m, 29000m, "target 0.4", Ingested.AddYears(-5), Ingested);

    [Fact]
    public void Client_order_id_is_derived_from_the_intent_so_a_retry_reuses_it()
    {
        var first = OrderBook.ToMarketOrder(Intent);
        var retry = OrderBook.ToMarketOrder(Intent);

        Assert.Equal("BTCUSDT-1609459500000-3-1", first.ClientOrderId);
        Assert.Equal(first, retry);
    }

    [Fact]
    public void Two_fills_make_a_filled_order_with_the_volume_weighted_price_and_latency()
    {
        var request = OrderBook.ToMarketOrder(Intent);
        var placedAt = Ingested.AddTicks(1_250); // 125 µs after the tick
        Fill[] fills =
        [
            new("f1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.1m, 29000m, 2.9m, placedAt),
            new("f2", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.3m, 29010m, 8.703m, placedAt),
        ];
        var ack = new OrderAck(request.ClientOrderId, "paper-1", OrderStatus.Filled, fills, null, placedAt);

        var order = OrderBook.Record(Intent, request, ack, placedAt, "paper");

        // (0.1 × 29000 + 0.3 × 29010) / 0.4 = (2900 + 8703) / 0.4 = 29007.5
        Assert.Equal(29007.5m, order.AverageFillPrice);
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(0.4m, order.FilledQuantity);
        Assert.Equal(11.603m, order.Fees);
        Assert.Equal(TimeSpan.FromTicks(1_250), order.TickToOrderLatency);
        Assert.Equal("paper", Assert.Single(order.Children).Venue);
    }

    [Fact]
    public void A_partial_fill_leaves_the_order_partially_filled()
    {
        var request = OrderBook.ToMarketOrder(Intent);
        var ack = new OrderAck(request.ClientOrderId, "paper-2", OrderStatus.PartiallyFilled,
            [new("f1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.1m, 29000m, 2.9m, Ingested)], null, Ingested);

        Assert.Equal(OrderStatus.PartiallyFilled, OrderBook.Record(Intent, request, ack, Ingested, "paper").Status);
    }

    [Fact]
    public void A_broker_rejection_is_kept_with_its_reason()
    {
        var request = OrderBook.ToMarketOrder(Intent);
        var ack = new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], "insufficient balance", Ingested);

        var order = OrderBook.Record(Intent, request, ack, Ingested, "paper");

        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Equal("insufficient balance", order.RejectReason);
        Assert.Equal(0m, order.FilledQuantity);
    }
}
