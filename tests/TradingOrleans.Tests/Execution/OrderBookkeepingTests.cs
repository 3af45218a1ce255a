using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

public sealed class OrderBookkeepingTests
{
    private static readonly DateTimeOffset Ingested = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly OrderIntent Intent = new(
        "BTCUSDT-1609459500000-3", "BTCUSDT", OrderSide.Buy, 0.4m, 29000m, "target 0.4", Ingested.AddYears(-5), Ingested);

    [Fact]
    public void Client_order_id_is_derived_from_the_intent_so_a_retry_reuses_it()
    {
        var first = OrderBookkeeping.WholeOrder(Intent);
        var retry = OrderBookkeeping.WholeOrder(Intent);

        Assert.Equal("BTCUSDT-1609459500000-3-1", first.ClientOrderId);
        Assert.Equal(first, retry);
    }

    [Fact]
    public void Two_fills_make_a_filled_order_with_the_volume_weighted_price_and_latency()
    {
        var request = OrderBookkeeping.WholeOrder(Intent);
        var placedAt = Ingested.AddTicks(1_250); // 125 µs after the tick
        Fill[] fills =
        [
            new("f1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.1m, 29000m, 2.9m, placedAt),
            new("f2", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.3m, 29010m, 8.703m, placedAt),
        ];
        var ack = new OrderAck(request.ClientOrderId, "paper-1", OrderStatus.Filled, fills, null, placedAt);

        var order = OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(Intent), request, ack, placedAt, "paper", sliceReason: null);

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
        var request = OrderBookkeeping.WholeOrder(Intent);
        var ack = new OrderAck(request.ClientOrderId, "paper-2", OrderStatus.PartiallyFilled,
            [new("f1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.1m, 29000m, 2.9m, Ingested)], null, Ingested);

        Assert.Equal(OrderStatus.PartiallyFilled, OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(Intent), request, ack, Ingested, "paper", sliceReason: null).Status);
    }

    [Fact]
    public void A_broker_rejection_is_kept_with_its_reason()
    {
        var request = OrderBookkeeping.WholeOrder(Intent);
        var ack = new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], "insufficient balance", Ingested);

        var order = OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(Intent), request, ack, Ingested, "paper", sliceReason: null);

        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Equal("insufficient balance", order.RejectReason);
        Assert.Equal(0m, order.FilledQuantity);
    }

    [Fact]
    public void Late_reports_add_only_unseen_fills_and_never_move_a_child_back_from_a_final_state()
    {
        var request = OrderBookkeeping.WholeOrder(Intent);
        Fill Trade(string id, decimal quantity, decimal price) => new(id, request.ClientOrderId, "BTCUSDT", OrderSide.Buy, quantity, price, 0m, Ingested);

        // The first answer was lost (timeout): the outcome is unknown, so the child waits for the venue.
        var unknown = OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(Intent), request, new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], "outcome unknown", Ingested), Ingested, "binance", sliceReason: null);
        Assert.Equal(OrderStatus.New, unknown.Status);
        Assert.True(unknown.Children[0].AwaitingVenue);

        // A stream event: the first trade, open at the venue (cumulative 0.1).
        var partial = OrderBookkeeping.ApplyReport(unknown, new OrderAck(request.ClientOrderId, "28", OrderStatus.PartiallyFilled, [Trade("t7", 0.1m, 29000m)], null, Ingested, 0.1m))!.Value;
        Assert.Equal((OrderStatus.PartiallyFilled, 0.1m, "28"), (partial.Order.Status, partial.Order.FilledQuantity, partial.Order.Children[0].BrokerOrderId));

        // The poll answers with every fill, one of which the stream already brought: only t8 is new.
        var filled = OrderBookkeeping.ApplyReport(partial.Order, new OrderAck(request.ClientOrderId, "28", OrderStatus.Filled, [Trade("t7", 0.1m, 29000m), Trade("t8", 0.3m, 29010m)], null, Ingested, 0.4m))!.Value;
        Assert.Equal("t8", Assert.Single(filled.NewFills).FillId);
        Assert.Equal((OrderStatus.Filled, 0.4m, 29007.5m), (filled.Order.Status, filled.Order.FilledQuantity, filled.Order.AverageFillPrice));
        Assert.False(filled.Order.Children[0].AwaitingVenue);

        // A stale stream event arriving last changes nothing.
        var stale = OrderBookkeeping.ApplyReport(filled.Order, new OrderAck(request.ClientOrderId, "28", OrderStatus.PartiallyFilled, [Trade("t7", 0.1m, 29000m)], null, Ingested, 0.1m))!.Value;
        Assert.Empty(stale.NewFills);
        Assert.Equal(OrderStatus.Filled, stale.Order.Children[0].Status);

        Assert.Null(OrderBookkeeping.ApplyReport(filled.Order, new OrderAck("someone-else", "9", OrderStatus.Filled, [], null, Ingested)));
    }

    [Fact]
    public void A_final_report_whose_cumulative_quantity_exceeds_the_known_fills_keeps_the_child_awaiting_its_fills()
    {
        var request = OrderBookkeeping.WholeOrder(Intent);
        var unknown = OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(Intent), request, new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], null, Ingested), Ingested, "binance", sliceReason: null);

        // FILLED with cumulative 0.4 but this event carried only its last trade: the rest must be fetched.
        var report = new OrderAck(request.ClientOrderId, "28", OrderStatus.Filled,
            [new("t8", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.3m, 29010m, 0m, Ingested)], null, Ingested, 0.4m);
        var order = OrderBookkeeping.ApplyReport(unknown, report)!.Value.Order;

        Assert.Equal(0.3m, order.FilledQuantity);
        Assert.True(order.Children[0].AwaitingVenue);
    }

    [Fact]
    public void An_expired_child_gives_its_unfilled_part_back_to_the_parent_schedule()
    {
        var working = OrderBookkeeping.Working(Intent, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), 2));
        var request = new OrderRequest(OrderBookkeeping.ChildClientOrderId(Intent.IntentId, 1), "BTCUSDT", OrderSide.Buy, 0.2m, 29000m, Ingested);
        var expired = new OrderAck(request.ClientOrderId, "p-1", OrderStatus.Cancelled,
            [new("f1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 0.05m, 29000m, 0m, Ingested)], "expired: book exhausted", Ingested);

        var order = OrderBookkeeping.AddChild(working, request, expired, Ingested, "paper", "TWAP slice 1 of 2");

        // Sent 0.2, of which 0.15 expired: only the 0.05 filled counts as sent, so TWAP sends 0.35 more.
        Assert.Equal(OrderStatus.Working, order.Status);
        Assert.Equal(0.05m, order.SentQuantity);
        Assert.False(order.Children[0].AwaitingVenue);
    }
    [Fact]
    public void A_child_the_venue_ended_is_final_only_once_its_fills_add_up_to_what_the_venue_executed()
    {
        var working = OrderBookkeeping.Working(Intent, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), 2));
        var request = new OrderRequest(OrderBookkeeping.ChildClientOrderId(Intent.IntentId, 1), "BTCUSDT", OrderSide.Buy, 0.2m, 29000m, Ingested);
        Fill Trade(string id, decimal quantity) => new(id, request.ClientOrderId, "BTCUSDT", OrderSide.Buy, quantity, 29000m, 0m, Ingested);
        var sent = OrderBookkeeping.AddChild(working, request, new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], "outcome unknown", Ingested), Ingested, "binance", "TWAP slice 1 of 2");

        // EXPIRED with 0.08 executed, but the trades lookup failed: only the 0.02 the stream brought is known.
        var expired = OrderBookkeeping.ApplyReport(sent, new OrderAck(request.ClientOrderId, "28", OrderStatus.Cancelled, [Trade("t1", 0.02m)], null, Ingested, 0.08m))!.Value.Order;
        Assert.Equal((OrderStatus.PartiallyFilled, true, 0.02m), (expired.Children[0].Status, expired.Children[0].AwaitingVenue, expired.Children[0].FilledQuantity));
        Assert.Equal(0.2m, expired.SentQuantity); // nothing of it goes back to the schedule yet

        var fetched = OrderBookkeeping.ApplyReport(expired, new OrderAck(request.ClientOrderId, "28", OrderStatus.Cancelled, [Trade("t1", 0.02m), Trade("t2", 0.06m)], null, Ingested, 0.08m))!.Value.Order;
        Assert.Equal((OrderStatus.Cancelled, false, 0.08m), (fetched.Children[0].Status, fetched.Children[0].AwaitingVenue, fetched.Children[0].FilledQuantity));
        Assert.Equal(0.08m, fetched.SentQuantity); // what the venue executed, never less
    }

    [Fact]
    public void A_child_takes_the_quantity_the_venue_was_sent_so_an_order_it_rounded_down_to_its_lot_settles_filled_with_a_note()
    {
        var intent = Intent with { Quantity = 9.38842m };
        var request = OrderBookkeeping.WholeOrder(intent);
        var ack = new OrderAck(request.ClientOrderId, "28", OrderStatus.Filled,
            [new("t1", request.ClientOrderId, "BTCUSDT", OrderSide.Buy, 9.3884m, 29000m, 0m, Ingested)], null, Ingested, 9.3884m, OrderedQuantity: 9.3884m);

        var order = OrderBookkeeping.AddChild(OrderBookkeeping.Immediate(intent), request, ack, Ingested, "binance", sliceReason: null);

        Assert.Equal((9.3884m, OrderStatus.Filled, false), (order.Children[0].Quantity, order.Children[0].Status, order.Children[0].AwaitingVenue));
        Assert.Equal((OrderStatus.Filled, 9.3884m), (order.Status, order.FilledQuantity));
        Assert.Equal("0.00002 not sent: binance took 9.3884 of 9.38842, rounded down to its lot", order.LastSliceReason);
    }
}
