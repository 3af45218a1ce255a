using System.Globalization;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// One parent order's bookkeeping as pure functions (not a bid/ask book): intents become child requests; venue
/// answers and reports become the parent's children, fills and status.
/// </summary>
public static class OrderBookkeeping
{
    /// <summary>The client order id of a parent's n-th child (1-based); stable across retries.</summary>
    public static string ChildClientOrderId(string parentOrderId, int childNumber) => $"{parentOrderId}-{childNumber}";

    /// <summary>The whole intent as one order: a market order, or a limit order with <paramref name="limit"/>.</summary>
    public static OrderRequest WholeOrder(OrderIntent intent, LimitTerms? limit = null) =>
        new(ChildClientOrderId(intent.IntentId, 1), intent.Symbol, intent.Side, intent.Quantity, intent.ReferencePrice, intent.MarketTime, limit);

    /// <summary>The parent of the order path's single child, before the venue answers it (kept only with its answer).</summary>
    public static ParentOrder Immediate(OrderIntent intent, LimitTerms? limit = null) => new(
        intent.IntentId, intent.Symbol, intent.Side, intent.Quantity, OrderStatus.New, 0, 0, 0, [], [], intent.Reason, null,
        intent.MarketTime, intent.TickIngestedAt, null, Limit: limit);

    /// <summary>A working parent for an algorithm to slice: no children yet.</summary>
    public static ParentOrder Working(OrderIntent intent, ExecutionInstruction instruction, LimitTerms? limit = null) => new(
        intent.IntentId, intent.Symbol, intent.Side, intent.Quantity, OrderStatus.Working, 0, 0, 0, [], [], intent.Reason, null,
        intent.MarketTime, intent.TickIngestedAt, null, instruction, intent.ReferencePrice, Limit: limit);

    /// <summary>
    /// The stand-in for a venue's first answer that has not come in time: the child was handed over and its outcome is
    /// unknown (status New, no fill), so it is kept as sent and awaited until the venue's answer, a report or a query
    /// settles it.
    /// </summary>
    public static OrderAck Unanswered(OrderRequest request, string venue, DateTimeOffset at) =>
        new(request.ClientOrderId, "", OrderStatus.New, [], $"awaiting {venue}'s answer", at);

    /// <summary>
    /// The parent after one more child and the broker's first answer on it. The child keeps its own terms when they are
    /// not the parent's (a passive child at the touch), and the <paramref name="touch"/> a passive child was priced from.
    /// </summary>
    public static ParentOrder AddChild(
        ParentOrder parent, OrderRequest request, OrderAck ack, DateTimeOffset placedAt, string venue, string? sliceReason, decimal? touch = null)
    {
        var child = new ChildOrder(request.ClientOrderId, ack.BrokerOrderId, request.Quantity, OrderStatus.New, 0, placedAt, venue, AwaitingVenue: true,
            Limit: request.Limit == parent.Limit ? null : request.Limit, Touch: touch);
        var withChild = parent with
        {
            Children = [.. parent.Children, child],
            PlacedAt = parent.PlacedAt ?? placedAt,
            LastSliceReason = sliceReason ?? parent.LastSliceReason,
            Hold = sliceReason is null ? parent.Hold : ParentHold.None,
        };
        return Apply(withChild, ack).Order;
    }

    /// <summary>
    /// Merges a venue's report on one child (its first answer, a user-data event or a query) into the parent: fills not
    /// seen before are added (a fill id counts once however often it is reported), the child's status moves on but
    /// never back from a final state, and the parent's totals and status are recomputed. <c>NewFills</c> are the
    /// fills this report added; null when no child has the report's client order id.
    /// </summary>
    public static (ParentOrder Order, IReadOnlyList<Fill> NewFills)? ApplyReport(ParentOrder parent, OrderAck report) =>
        parent.Children.Any(c => c.ClientOrderId == report.ClientOrderId) ? Apply(parent, report) : null;

    private static (ParentOrder Order, IReadOnlyList<Fill> NewFills) Apply(ParentOrder parent, OrderAck report)
    {
        var known = parent.Fills.Select(f => f.FillId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<Fill> newFills = [.. report.Fills.Where(f => f.ClientOrderId == report.ClientOrderId && known.Add(f.FillId))];
        IReadOnlyList<Fill> fills = [.. parent.Fills, .. newFills];
        var children = parent.Children.Select(c => c.ClientOrderId == report.ClientOrderId ? Update(c, report, fills) : c).ToArray();
        var filled = fills.Sum(f => f.Quantity);
        var order = parent with
        {
            Children = children,
            Fills = fills,
            FilledQuantity = filled,
            AverageFillPrice = filled == 0 ? 0 : decimal.Round(fills.Sum(f => f.Quantity * f.Price) / filled, 8),
            Fees = fills.Sum(f => f.Fee),
            // A passive child refused for taking is priced again, not the parent's end: its reason is not the parent's.
            RejectReason = report.Status == OrderStatus.Rejected && !(report.WouldTake && parent.Execution is { Passive: true })
                ? report.RejectReason ?? parent.RejectReason
                : parent.RejectReason,
        };
        var status = ParentStatus(order);
        var child = children.First(c => c.ClientOrderId == report.ClientOrderId);
        var note = status == OrderStatus.Cancelled && parent.Status != OrderStatus.Cancelled && StopsParent(order, child)
            ? $"stopped: {child.Venue} rejected {child.ClientOrderId} ({report.RejectReason}); {N(filled)} of {N(order.Quantity)} filled"
            : order.Execution is null && status == OrderStatus.Filled && filled < order.Quantity
            ? $"{N(order.Quantity - filled)} not sent: {child.Venue} took {N(child.Quantity)} of {N(order.Quantity)}, rounded down to its lot"
            : order.LastSliceReason;
        return (order with { Status = status, LastSliceReason = note }, newFills);
    }

    /// <summary>
    /// A child's state after a report. The venue's word that the order ended (filled, expired, cancelled, rejected)
    /// makes the child final here only once the fills booked add up to what the venue says it executed: until then it
    /// stays open and awaited, so it keeps its whole quantity in the schedule and its trades are fetched until they
    /// are all in. A final state stays (reports can arrive out of order: a query answered before a late stream event).
    /// </summary>
    private static ChildOrder Update(ChildOrder child, OrderAck report, IReadOnlyList<Fill> fills)
    {
        var filled = fills.Where(f => f.ClientOrderId == child.ClientOrderId).Sum(f => f.Quantity);
        var quantity = report.OrderedQuantity ?? child.Quantity;
        var executed = report.VenueFilledQuantity ?? (report.Status == OrderStatus.Filled ? quantity : filled);
        var reported = IsFinal(report.Status) && filled >= executed ? report.Status
            : filled > 0 ? OrderStatus.PartiallyFilled
            : OrderStatus.New;
        var status = IsFinal(child.Status) && !IsFinal(reported) ? child.Status : reported;
        return child with
        {
            BrokerOrderId = string.IsNullOrEmpty(report.BrokerOrderId) ? child.BrokerOrderId : report.BrokerOrderId,
            Quantity = quantity,
            Status = status,
            FilledQuantity = filled,
            AwaitingVenue = !IsFinal(status),
            WouldTake = child.WouldTake || report.WouldTake,
        };
    }

    /// <summary>
    /// A parent is filled once its quantity is. A venue's rejection of a child stops it: rejected when nothing of it
    /// filled, otherwise cancelled — its filled part stands, with the rejection as the reason (not a passive child refused
    /// for taking: the parent rests it again further from the market). Else an immediate parent
    /// follows its only child — filled once the child is, also when the venue took less than asked (the rest was below
    /// its lot and cannot be sent); a sliced parent keeps working (or stays cancelled, still collecting late fills).
    /// </summary>
    private static OrderStatus ParentStatus(ParentOrder order)
    {
        if (order.FilledQuantity >= order.Quantity)
        {
            return OrderStatus.Filled;
        }

        if (order.Children.Any(c => StopsParent(order, c)))
        {
            return order.FilledQuantity > 0 ? OrderStatus.Cancelled : OrderStatus.Rejected;
        }

        if (order.Execution is not null)
        {
            return order.Status;
        }

        return order.Children[0].Status switch
        {
            OrderStatus.Cancelled => OrderStatus.Cancelled,
            OrderStatus.Filled => OrderStatus.Filled,
            _ => order.FilledQuantity > 0 ? OrderStatus.PartiallyFilled : OrderStatus.New,
        };
    }

    /// <summary>Whether a child ended its parent: the venue rejected it, unless post-only for taking in a passive parent.</summary>
    private static bool StopsParent(ParentOrder order, ChildOrder child) =>
        child.Status == OrderStatus.Rejected && !(child.WouldTake && order.Execution is { Passive: true });

    /// <summary>A quantity in words: as many decimals as it needs.</summary>
    internal static string N(decimal quantity) => quantity.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>No more fills can come for an order (child or parent) in this state.</summary>
    public static bool IsFinal(OrderStatus status) => status is OrderStatus.Filled or OrderStatus.Rejected or OrderStatus.Cancelled;
}
