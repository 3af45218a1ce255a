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
}
