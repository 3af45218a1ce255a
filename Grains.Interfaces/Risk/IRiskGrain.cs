using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Interfaces.Risk;

/// <summary>The single risk gate (key 0): sizes combined signals into order intents or rejects them with a reason.</summary>
public interface IRiskGrain : IGrainWithIntegerKey
{
    Task<RiskDecision> Evaluate(CombinedSignal signal);

    /// <summary>
    /// Checks an order that did not come from a signal (a rebalance): trading state, lot size, minimum order,
    /// the throttle and the portfolio limits, as for any order.
    /// </summary>
    Task<RiskDecision> Review(OrderIntent intent);

    /// <summary>
    /// A pair strategy's spread target, sized as one unit: both legs' sub-positions in the hedge ratio, the limits, the
    /// throttle and VaR after both legs, in one decision; a basket that breaks a limit is refused whole.
    /// </summary>
    Task<SpreadDecision> EvaluateSpread(SpreadTarget target);

    /// <summary>
    /// The basket of a spread decision was unwound: the strategy's sub-positions are what they were before it, plus what
    /// the basket left held of each leg (<paramref name="left"/>, signed by symbol: an unwind that did not fill whole).
    /// </summary>
    Task SpreadUnwound(string strategyId, long sequence, IReadOnlyDictionary<string, decimal> left);

    /// <summary>
    /// An approved order that was never sent to execution (its review came too late, or no venue could take it) no longer
    /// counts as open. Orders execution worked close with the book that holds their fills (<see cref="OnRiskBook"/>).
    /// </summary>
    [OneWay]
    Task OrderClosed(string intentId);

    /// <summary>
    /// The portfolio's book as it is now: kept if newer than the one held; the orders it closes no longer count as open.
    /// </summary>
    [OneWay]
    Task OnRiskBook(RiskBook book);

    Task Halt(string reason);

    Task Resume();

    /// <summary>
    /// The trading state alone (cheap). Interleaves, because an execution grain asks it when it activates, and risk
    /// may be the one activating it (telling it a new trading state).
    /// </summary>
    [AlwaysInterleave]
    Task<TradingStateChange> GetTradingState();

    /// <summary>
    /// State, limits and recent decisions as they are now, with the portfolio's risk figures from
    /// <see cref="IRiskMeasuresGrain"/> (at most a second old). Interleaves: decisions go on while the figures are computed.
    /// </summary>
    [AlwaysInterleave]
    Task<RiskStatus> GetStatus();

    /// <summary>The limits risk applies now (cheap: no figures computed). Interleaves: a poll never waits for a decision.</summary>
    [AlwaysInterleave]
    Task<RiskLimits> GetLimits();

    /// <summary>Replaces the limits (validated by the caller); they survive restarts and override the configuration.</summary>
    Task SetLimits(RiskLimits limits);
}
