using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Risk;

/// <summary>
/// Runs the risk rules, in order, over a signal (sized into an order) or an order asked for as it is (a rebalance,
/// a manual order): the first rule to deny binds, with its reason; otherwise the order is approved as the rules left it.
/// </summary>
public static class RiskEngine
{
    /// <summary>The rules that shape one order: trading state, price, sizing, position and order limits, lot, minimums.</summary>
    private static readonly IRiskRule[] OrderRules =
    [
        new TradingStateRule(), new PriceRule(), new TargetSizingRule(), new PositionLimitRule(), new OrderNotionalRule(),
        new LotSizeRule(), new ReducingOnlyRule(), new NothingToTradeRule(), new MinimumOrderRule(),
    ];

    /// <summary>The rules that check the sized order against the throttles and the whole portfolio, which may scale it.</summary>
    private static readonly IRiskRule[] PortfolioRules =
    [
        new OpenOrdersRule(), new OrderRateRule(), new GrossExposureRule(), new NetExposureRule(), new ReturnHistoryRule(),
        new CorrelatedExposureRule(), new ValueAtRiskRule(), new ScaledRemainderRule(), new AvailableBalanceRule(), new InstrumentMinimumRule(),
    ];

    /// <summary>A combined signal's target, sized and checked: an order intent, or the reason there is none.</summary>
    public static RiskDecision Decide(CombinedSignal signal, RiskInputs inputs) => Run(RiskCheck.ForSignal(signal, inputs));

    /// <summary>An order that did not come from a signal, checked by the same rules; they may only shrink it.</summary>
    public static RiskDecision Review(OrderIntent intent, RiskInputs inputs) => Run(RiskCheck.ForOrder(intent, inputs));

    /// <summary>
    /// The id of the order a signal becomes: the same for every evaluation of the same signal, so a signal sent again after
    /// a passing fault is the same order to execution, which executes an intent id once.
    /// </summary>
    public static string IntentIdFor(CombinedSignal signal) => $"{signal.Symbol}-{signal.MarketTime.ToUnixTimeMilliseconds()}-{signal.Sequence}";

    /// <summary>A signal stopped before its order could be sized (its age, the order path), with the denial's reason.</summary>
    public static RiskDecision Refuse(CombinedSignal signal, RiskDenial denial, DateTimeOffset now) =>
        // Not this signal, but its target stands: the next bar restates it (or the sender retries a passing fault).
        new(signal.Symbol, signal.Sequence, null, denial.Reason, denial.Explanation, now, TargetReached: false);

    private static RiskDecision Run(RiskCheck order)
    {
        foreach (var rule in OrderRules)
        {
            if (rule.Check(order) is { } denial)
            {
                return Denied(order, denial, targetReached: true);
            }
        }

        foreach (var rule in PortfolioRules)
        {
            if (rule.Check(order) is { } denial)
            {
                // A signal whose order was cut to the order limit is still short of its target: it is restated on the next bar.
                return Denied(order, denial, targetReached: !order.MoreToFollow);
            }
        }

        return Approved(order);
    }

    private static RiskDecision Denied(RiskCheck order, RiskDenial denial, bool targetReached) =>
        new(order.Symbol, order.Signal?.Sequence ?? 0, null, denial.Reason, denial.Explanation, order.Inputs.Now, targetReached);

    private static RiskDecision Approved(RiskCheck order)
    {
        var explanation = order.Explanation;
        var intent = order.Signal is { } signal
            ? new OrderIntent(
                IntentIdFor(signal),
                signal.Symbol,
                order.Delta > 0 ? OrderSide.Buy : OrderSide.Sell,
                order.Quantity,
                order.Price,
                RiskCheck.Invariant($"{Describe(signal)}: {explanation}; holding {order.Position}"),
                signal.MarketTime,
                signal.IngestedAt)
            : order.Asked! with { Quantity = order.Quantity };
        if (order.PortfolioNotes.Count > 0)
        {
            explanation = string.Join("; ", [explanation, .. order.PortfolioNotes]);
        }

        if (order.FinalQuantity == order.Quantity)
        {
            return new RiskDecision(order.Symbol, order.Signal?.Sequence ?? 0, intent, RiskRejectionReason.None, explanation, order.Inputs.Now, !order.MoreToFollow);
        }

        // A portfolio limit will not move by trading more: the target counts as reached, so no restated order follows.
        intent = intent with { Quantity = order.FinalQuantity, Reason = $"{intent.Reason}; {string.Join("; ", order.PortfolioNotes)}" };
        return new RiskDecision(order.Symbol, order.Signal?.Sequence ?? 0, intent, RiskRejectionReason.None, explanation, order.Inputs.Now);
    }

    private static string Describe(CombinedSignal signal) =>
        $"{signal.Direction} vote of {string.Join(", ", signal.Contributions.Select(c => $"{c.StrategyId}={c.Direction}"))}";
}
