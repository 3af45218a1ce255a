using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// "Review, then execute" (<see cref="OrderRoute"/>) for the orders that are not a signal's — rebalances, traders' orders —
/// and for the pair strategies' baskets; a symbol's aggregator runs its signals through its own route. Orders are read
/// from the <see cref="IOrderReadModelGrain"/>, never from the grains the order path goes through.
/// </summary>
/// <remarks>
/// A stateless worker, so it is activated on the caller's silo: a pair's basket costs one local call (no network hop;
/// the immutable target and result are passed without a copy). It keeps nothing between calls but grain references, so
/// its calls may interleave, and one activation per silo serves every symbol: a manual order waiting on risk never
/// holds up a basket.
/// </remarks>
[StatelessWorker(1)]
[Reentrant]
public sealed class OrderEntryGrain(TimeProvider time, OrderPathGuard orderPath, IReadOnlyList<IBroker> venues, TradingMetrics metrics, IAuditSink audit)
    : Grain, IOrderEntryGrain
{
    // A basket unwound before any leg went out leaves nothing of either leg held.
    private static readonly IReadOnlyDictionary<string, decimal> NothingLeft = new Dictionary<string, decimal>();

    private OrderRoute _route = null!;
    private IOrderReadModelGrain _readModel = null!;

    private IRiskGrain Risk => _route.Risk;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _route = new OrderRoute(GrainFactory, orderPath, venues, time);
        _readModel = GrainFactory.GetGrain<IOrderReadModelGrain>(0);
        return Task.CompletedTask;
    }

    async Task<BasketOutcome> IOrderEntryGrain.SubmitSpread(SpreadTarget target)
    {
        var (decision, riskFailure) = await orderPath.Call(OrderPathHop.Risk, () => Risk.EvaluateSpread(target));
        var now = time.GetUtcNow();
        if (decision is null)
        {
            // A late approval is executed by nobody: its legs must not stay open at risk, nor its sub-positions in the book.
            Risk.OrderClosed(SpreadRisk.LegIntentId(target, target.LegA)).Ignore();
            Risk.OrderClosed(SpreadRisk.LegIntentId(target, target.LegB)).Ignore();
            Risk.SpreadUnwound(target.StrategyId, target.Sequence, NothingLeft).Ignore();
            return Faulted(new SpreadDecision(target.StrategyId, target.Sequence, 0, 0, [], RiskRejectionReason.OrderPathDegraded,
                $"{riskFailure}: the basket is held", now, TargetReached: false), now);
        }

        if (!decision.Approved)
        {
            return decision.Rejection == RiskRejectionReason.OrderPathDegraded
                ? Faulted(decision, now)
                : new BasketOutcome(decision, BasketStatus.Refused, [], now, decision.Explanation);
        }

        if (!venues.Any(v => v.IsAvailable))
        {
            foreach (var leg in decision.Legs)
            {
                Risk.OrderClosed(leg.IntentId).Ignore();
            }

            await Risk.SpreadUnwound(target.StrategyId, target.Sequence, NothingLeft);
            return Faulted(decision with { Explanation = $"{_route.NoVenue}: the basket is held" }, now);
        }

        // One fan-out: both legs go to their execution grains at once, neither waits for the other's fill.
        var orders = await Task.WhenAll(decision.Legs.Select(PlaceLeg));
        return await Settle(new BasketOutcome(decision, BasketStatus.Working, [.. orders.OfType<ParentOrder>()], now), legTimeOver: false);
    }

    Task<BasketOutcome> IOrderEntryGrain.SettleBasket(BasketOutcome basket, bool legTimeOver) => Settle(basket, legTimeOver);

    /// <summary>A leg's order; null when execution did not answer (the leg may still be placed under its intent id).</summary>
    private async Task<ParentOrder?> PlaceLeg(OrderIntent leg)
    {
        var (order, _) = await orderPath.Call(OrderPathHop.Execution, () => Execution(leg.Symbol).Execute(leg, null));
        return order;
    }

    /// <summary>
    /// Every leg filled: the basket is complete. A leg refused, or not filled when its time is over: what is open is
    /// cancelled, what filled is sold or bought back, and risk's book goes back to the sub-positions before the basket
    /// (<see cref="FinishUnwind"/>).
    /// </summary>
    private async Task<BasketOutcome> Settle(BasketOutcome basket, bool legTimeOver)
    {
        if (basket.Status == BasketStatus.Unwinding)
        {
            return await FinishUnwind(basket);
        }

        var legs = await Task.WhenAll(basket.Decision.Legs.Select(async leg =>
            basket.Orders.FirstOrDefault(o => o.OrderId == leg.IntentId) is { } known && IsFinal(known)
                ? known
                : await Execution(leg.Symbol).GetOrder(leg.IntentId)));
        if (legs.All(o => o is { Status: OrderStatus.Filled }))
        {
            metrics.BasketSettled(Pair(basket), basket.Decision.StrategyId, time.GetUtcNow() - basket.SentAt, unwound: false);
            return basket with { Status = BasketStatus.Completed, Orders = [.. legs.OfType<ParentOrder>()] };
        }

        var failed = legs.FirstOrDefault(o => o is { Status: OrderStatus.Rejected or OrderStatus.Cancelled });
        if (failed is null && !legTimeOver)
        {
            return basket with { Orders = [.. legs.OfType<ParentOrder>()] };
        }

        var why = failed is not null
            ? $"leg {failed.Symbol} {failed.Status}{(failed.RejectReason is { } reject ? $" ({reject})" : "")}"
            : $"a leg was not filled within {(time.GetUtcNow() - basket.SentAt).TotalSeconds:0.###} s";
        var settled = new List<ParentOrder>();
        foreach (var (leg, order) in basket.Decision.Legs.Zip(legs))
        {
            // A leg execution never answered for is withdrawn too: should its placement still arrive, it sends nothing.
            var final = order is not null && IsFinal(order) ? order : (await Execution(leg.Symbol).Withdraw(leg)).Order ?? order;
            if (final is null)
            {
                continue;
            }

            settled.Add(final);
            if (final.FilledQuantity > 0)
            {
                var unwind = new OrderIntent(UnwindId(leg), leg.Symbol, leg.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy,
                    final.FilledQuantity, final.AverageFillPrice, $"unwinding {leg.Side} {final.FilledQuantity} of basket {basket.Decision.StrategyId}-{basket.Decision.Sequence}: {why}",
                    leg.MarketTime, time.GetUtcNow(), SpreadRisk.Immediate);
                settled.Add(await Execution(leg.Symbol).Execute(unwind, null));
            }
        }

        return await FinishUnwind(basket with { Status = BasketStatus.Unwinding, Orders = settled, Note = why });
    }

    /// <summary>
    /// Once every leg and unwinding order is final, what the unwinds did not sell or buy back (refused in a halt or by the
    /// venue) stays the strategy's, in risk's book too, and the basket is <see cref="BasketStatus.Unwound"/>. Until then
    /// (an unwind the venue has not answered or filled yet) it is <see cref="BasketStatus.Unwinding"/>, looked at again
    /// like a working basket, so later fills count in the pair's book and in risk's.
    /// </summary>
    private async Task<BasketOutcome> FinishUnwind(BasketOutcome basket)
    {
        var orders = await Task.WhenAll(basket.Orders.Select(async o => IsFinal(o) ? o : await Execution(o.Symbol).GetOrder(o.OrderId) ?? o));
        if (!orders.All(IsFinal))
        {
            return basket with { Orders = orders };
        }

        var left = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var leg in basket.Decision.Legs)
        {
            var filled = orders.FirstOrDefault(o => o.OrderId == leg.IntentId)?.FilledQuantity ?? 0;
            var back = orders.FirstOrDefault(o => o.OrderId == UnwindId(leg))?.FilledQuantity ?? 0;
            if (filled > back)
            {
                left[leg.Symbol] = (leg.Side == OrderSide.Buy ? 1 : -1) * (filled - back);
            }
        }

        await Risk.SpreadUnwound(basket.Decision.StrategyId, basket.Decision.Sequence, left);
        var why = basket.Note;
        if (left.Count > 0)
        {
            why += $"; still held: {string.Join(", ", left.Select(l => RiskCheck.Invariant($"{l.Value} {l.Key}")))} (the unwind did not fill whole)";
        }

        var unwound = basket with { Status = BasketStatus.Unwound, Orders = orders, Note = why };
        metrics.BasketSettled(Pair(basket), basket.Decision.StrategyId, time.GetUtcNow() - basket.SentAt, unwound: true);
        audit.Write(AuditEvents.BasketUnwound(unwound, time.GetUtcNow()));
        return unwound;
    }

    private static string UnwindId(OrderIntent leg) => $"{leg.IntentId}-unwind";

    private static string Pair(BasketOutcome basket) => string.Join("|", basket.Decision.Legs.Select(l => l.Symbol));

    private static bool IsFinal(ParentOrder order) => OrderBookkeeping.IsFinal(order.Status);

    private static BasketOutcome Faulted(SpreadDecision decision, DateTimeOffset now) => new(decision, BasketStatus.Faulted, [], now, decision.Explanation);

    async Task<ReviewedOrder> IOrderEntryGrain.SubmitOrder(OrderIntent intent) => await Execute(await Review(intent));

    async Task<ManualOrderResult> IOrderEntryGrain.PlaceManualOrder(ManualOrder order)
    {
        // The id is readable (symbol, origin, the trader's id), but nothing parses it: orders are found by the whole id.
        var orderId = $"{order.Symbol}-manual-{order.ClientOrderId ?? Guid.NewGuid().ToString("N")}";
        if (await Execution(order.Symbol).GetOrder(orderId) is { } existing)
        {
            return new ManualOrderResult(ManualOrderOutcome.AlreadyPlaced, existing, null);
        }

        var lastBar = (await GrainFactory.GetGrain<ISymbolGrain>(order.Symbol).GetRecentCandles(1)).FirstOrDefault();
        if (lastBar is null)
        {
            return new ManualOrderResult(ManualOrderOutcome.NoPrice, null, null);
        }

        var intent = new OrderIntent(orderId, order.Symbol, order.Side, order.Quantity, lastBar.Close,
            $"manual {order.Instruction.Algorithm} order", lastBar.CloseTime, time.GetUtcNow(), order.Instruction);
        var (decision, placed, _) = await Execute(await Review(intent));
        return new ManualOrderResult(placed is null ? ManualOrderOutcome.Refused : ManualOrderOutcome.Placed, placed, decision);
    }

    async Task<ParentOrder?> IOrderEntryGrain.FindOrder(string orderId) => (await Locate(orderId))?.Order;

    async Task<OrderChange> IOrderEntryGrain.CancelOrder(string orderId) =>
        await Locate(orderId) is { } found ? await found.Execution.Cancel(orderId) : NoOrder(orderId);

    async Task<OrderChange> IOrderEntryGrain.AmendOrder(string orderId, decimal quantity) =>
        await Locate(orderId) is { } found ? await found.Execution.Amend(orderId, quantity) : NoOrder(orderId);

    Task<IReadOnlyList<ParentOrder>> IOrderEntryGrain.GetOrders(string? symbol, int limit) => _readModel.Newest(symbol, limit);

    /// <summary>
    /// Risk's review of an order that is not a signal's (manual, rebalance), bounded like a signal's: a risk that does not
    /// answer in time, or whose circuit is open, refuses it at once with the reason; its sender may send it again.
    /// </summary>
    private async Task<RiskDecision> Review(OrderIntent intent)
    {
        var (decision, failure) = await orderPath.Call(OrderPathHop.Risk, () => Risk.Review(intent));
        if (decision is not null)
        {
            return decision;
        }

        // A late approval is executed by nobody; its pending quantity must not hold back the orders that follow.
        Risk.OrderClosed(intent.IntentId).Ignore();
        return new RiskDecision(intent.Symbol, 0, null, RiskRejectionReason.OrderPathDegraded, $"{failure}: the order was not reviewed, nor sent", time.GetUtcNow());
    }

    /// <summary>
    /// The order and its execution grain, found in the read model; an id it does not have yet (its publication still on
    /// the way, as after a fail-over) is asked of the execution grain of every symbol that can have orders.
    /// </summary>
    private async Task<(IExecutionGrain Execution, ParentOrder Order)?> Locate(string orderId)
    {
        if (await _readModel.Find(orderId) is { } published)
        {
            return (Execution(published.Symbol), published);
        }

        IExecutionGrain[] executions = [.. (await OrderSymbols.WithOrders(GrainFactory)).Select(Execution)];
        var orders = await Task.WhenAll(executions.Select(e => e.GetOrder(orderId)));
        var index = Array.FindIndex(orders, o => o is not null);
        return index < 0 ? null : (executions[index], orders[index]!);
    }

    private IExecutionGrain Execution(string symbol) => _route.Execution(symbol);

    private Task<ReviewedOrder> Execute(RiskDecision decision) => _route.Execute(decision);

    private static OrderChange NoOrder(string orderId) => new(null, $"No order {orderId}.");
}
