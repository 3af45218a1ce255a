using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// "Review, then execute", run in its holder's turn: risk decides, the symbol's execution grain works what risk approved.
/// The order entry grain holds one for the orders it is sent; each symbol's aggregator holds its own for its signals, so
/// a signal's order costs no call to the order entry. A signal's hops are bounded (<see cref="OrderPathGuard"/>): a hop
/// that does not answer in time, whose circuit is open, or with no venue to send to, comes back as a
/// <see cref="OrderPathFault"/> for the sender to retry, never as a wait. Each signal's target reaches the portfolio's
/// shadow books once (<see cref="ShadowTarget"/>): with its order's first fills when execution works one, else from here.
/// </summary>
public sealed class OrderRoute(IGrainFactory grains, OrderPathGuard orderPath, IReadOnlyList<IBroker> venues, TimeProvider time)
{
    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private readonly Dictionary<string, IExecutionGrain> _executions = new(StringComparer.Ordinal);
    private readonly IRiskGrain _risk = grains.GetGrain<IRiskGrain>(0);
    private readonly IOrderSymbolsGrain _symbols = grains.GetGrain<IOrderSymbolsGrain>(0);
    private readonly IPortfolioGrain _portfolio = grains.GetGrain<IPortfolioGrain>(0);

    // The fraction of the last decision that came: a signal whose decision never came is sized with it.
    private decimal? _lastPositionSizeFraction;

    // Symbols this route knows are recorded: an order path pays the record once per symbol, not per order.
    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);

    public IRiskGrain Risk => _risk;

    /// <summary>Why an order is held while no venue is available.</summary>
    public string NoVenue => $"no venue is available ({string.Join(", ", venues.Select(v => v.Name))})";

    /// <summary>A combined signal: risk sizes it into an order (or rejects it), execution works what risk approved.</summary>
    public async Task<ReviewedOrder> SubmitSignal(CombinedSignal signal)
    {
        var (decision, riskFailure) = await orderPath.Call(OrderPathHop.Risk, () => _risk.Evaluate(signal));
        _lastPositionSizeFraction = decision?.PositionSizeFraction ?? _lastPositionSizeFraction;
        var target = new ShadowTarget(signal, _lastPositionSizeFraction);
        var venueAvailable = venues.Any(v => v.IsAvailable);
        if (decision?.Intent is null || !venueAvailable)
        {
            // No order of it reaches execution to carry the target: one-way, after the decision, which it must not delay.
            _portfolio.OnTarget(target).Ignore();
        }

        if (decision is null)
        {
            // A late approval is executed by nobody; its pending quantity must not hold back the orders that follow.
            _risk.OrderClosed(RiskEngine.IntentIdFor(signal)).Ignore();
            var held = RiskEngine.Refuse(signal, new RiskDenial(RiskRejectionReason.OrderPathDegraded, $"{riskFailure}: the order is held"), time.GetUtcNow());
            return new ReviewedOrder(held, null, new OrderPathFault(OrderPathHop.Risk, riskFailure!));
        }

        if (decision.Rejection == RiskRejectionReason.OrderPathDegraded)
        {
            return new ReviewedOrder(decision, null, new OrderPathFault(OrderPathHop.Portfolio, decision.Explanation));
        }

        if (decision.Intent is not { } approved)
        {
            return new ReviewedOrder(decision, null);
        }

        if (!venueAvailable)
        {
            // Not sent to execution, which would keep the intent refused: the same intent id stays free for the retry.
            _risk.OrderClosed(approved.IntentId).Ignore();
            return new ReviewedOrder(decision, null, new OrderPathFault(OrderPathHop.Venue, $"{NoVenue}: the order is held"));
        }

        var (order, executionFailure) = await orderPath.Call(OrderPathHop.Execution, async () => (await Execute(decision, target)).Order!);
        return order is null
            ? new ReviewedOrder(decision, null, new OrderPathFault(OrderPathHop.Execution, $"{executionFailure}: the order may still be placed under its intent id"))
            : new ReviewedOrder(decision, order);
    }

    /// <summary>
    /// What risk approved, sent to its symbol's execution grain with the shadow books' target of the signal it comes from
    /// (null for an order that is not a signal's); a refusal comes back as it is.
    /// </summary>
    public async Task<ReviewedOrder> Execute(RiskDecision decision, ShadowTarget? target = null)
    {
        if (decision.Intent is not { } approved)
        {
            return new ReviewedOrder(decision, null);
        }

        if (_recorded.Contains(approved.Symbol))
        {
            return new ReviewedOrder(decision, await Execution(approved.Symbol).Execute(approved, target));
        }

        // The symbol's first order here: recorded alongside execution, not before it, so the order is not delayed; the
        // answer waits for both, so an order id a caller holds is always found.
        var executing = Execution(approved.Symbol).Execute(approved, target);
        await Task.WhenAll(_symbols.Add(approved.Symbol), executing);
        _recorded.Add(approved.Symbol);
        return new ReviewedOrder(decision, await executing);
    }

    public IExecutionGrain Execution(string symbol)
    {
        if (!_executions.TryGetValue(symbol, out var execution))
        {
            _executions[symbol] = execution = grains.GetGrain<IExecutionGrain>(symbol);
        }

        return execution;
    }
}
