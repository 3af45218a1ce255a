using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Pure order bookkeeping: intents become broker requests, broker answers become tracked orders.</summary>
public static class OrderBook
{
    /// <summary>The client order id of a parent's n-th child (1-based); stable across retries.</summary>
    public static string ChildClientOrderId(string parentOrderId, int childNumber) => $"{parentOrderId}-{childNumber}";

    /// <summary>The whole intent as one market order.</summary>
    public static OrderRequest ToMarketOrder(OrderIntent intent) =>
        new(ChildClientOrderId(intent.IntentId, 1), intent.Symbol, intent.Side, intent.Quantity, intent.ReferencePrice, intent.MarketTime);

    /// <summary>The parent order after the broker answered its single child.</summary>
    public static ParentOrder Record(OrderIntent intent, OrderRequest request, OrderAck ack, DateTimeOffset placedAt, string venue)
    {
        var filledQuantity = ack.Fills.Sum(f => f.Quantity);
        var averagePrice = filledQuantity == 0 ? 0m : ack.Fills.Sum(f => f.Quantity * f.Price) / filledQuantity;
        var status = ack.Status switch
        {
            OrderStatus.Rejected => OrderStatus.Rejected,
            _ when filledQuantity >= request.Quantity => OrderStatus.Filled,
            _ when filledQuantity > 0 => OrderStatus.PartiallyFilled,
            _ => OrderStatus.New,
        };
        var child = new ChildOrder(request.ClientOrderId, ack.BrokerOrderId, request.Quantity, status, filledQuantity, placedAt, venue);

        return new ParentOrder(
            intent.IntentId,
            intent.Symbol,
            intent.Side,
            intent.Quantity,
            status,
            filledQuantity,
            decimal.Round(averagePrice, 8),
            ack.Fills.Sum(f => f.Fee),
            [child],
            ack.Fills,
            intent.Reason,
            ack.RejectReason,
            intent.MarketTime,
            intent.TickIngestedAt,
            placedAt);
    }

    /// <summary>A working parent for an algorithm to slice: no children yet.</summary>
    public static ParentOrder Working(OrderIntent intent, ExecutionInstruction instruction) => new(
        intent.IntentId, intent.Symbol, intent.Side, intent.Quantity, OrderStatus.Working, 0, 0, 0, [], [], intent.Reason, null,
        intent.MarketTime, intent.TickIngestedAt, null, instruction, intent.ReferencePrice);

    /// <summary>
    /// The parent after one more child and the broker's answer: fills, average price and fees recomputed over all
    /// children. A rejected child stops the parent (rejected, with the venue's reason); once everything is sent and
    /// filled it is filled.
    /// </summary>
    public static ParentOrder AddChild(ParentOrder parent, OrderRequest request, OrderAck ack, DateTimeOffset placedAt, string venue, string sliceReason)
    {
        var childFilled = ack.Fills.Sum(f => f.Quantity);
        var childStatus = ack.Status == OrderStatus.Rejected ? OrderStatus.Rejected
            : childFilled >= request.Quantity ? OrderStatus.Filled
            : childFilled > 0 ? OrderStatus.PartiallyFilled
            : OrderStatus.New;
        var child = new ChildOrder(request.ClientOrderId, ack.BrokerOrderId, request.Quantity, childStatus, childFilled, placedAt, venue);
        IReadOnlyList<Fill> fills = [.. parent.Fills, .. ack.Fills];
        var filled = fills.Sum(f => f.Quantity);
        var sent = parent.SentQuantity + request.Quantity;
        var status = ack.Status == OrderStatus.Rejected ? OrderStatus.Rejected
            : sent >= parent.Quantity && filled >= parent.Quantity ? OrderStatus.Filled
            : OrderStatus.Working;
        return parent with
        {
            Children = [.. parent.Children, child],
            Fills = fills,
            FilledQuantity = filled,
            AverageFillPrice = filled == 0 ? 0 : decimal.Round(fills.Sum(f => f.Quantity * f.Price) / filled, 8),
            Fees = fills.Sum(f => f.Fee),
            Status = status,
            RejectReason = ack.RejectReason ?? parent.RejectReason,
            PlacedAt = parent.PlacedAt ?? placedAt,
            LastSliceReason = sliceReason,
        };
    }
}
