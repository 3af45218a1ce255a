using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Signals;

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

    /// <summary>An approved order reached a final state (filled or rejected): it no longer counts as open.</summary>
    [OneWay]
    Task OrderClosed(string intentId);

    Task Halt(string reason);

    Task Resume();

    /// <summary>State, limits, recent decisions and the portfolio's risk figures (VaR three ways: computed on each call).</summary>
    Task<RiskStatus> GetStatus();

    /// <summary>The limits risk applies now (cheap: no figures computed).</summary>
    Task<RiskLimits> GetLimits();

    /// <summary>Replaces the limits (validated by the caller); they survive restarts and override the configuration.</summary>
    Task SetLimits(RiskLimits limits);
}
