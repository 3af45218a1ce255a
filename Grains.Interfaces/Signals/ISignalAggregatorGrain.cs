using Orleans.Concurrency;

namespace TradingOrleans.Grains.Interfaces.Signals;

/// <summary>Per symbol: votes the strategies' latest signals into one combined target.</summary>
public interface ISignalAggregatorGrain : IGrainWithStringKey
{
    Task Submit(IReadOnlyList<Signal> signals);

    /// <summary>Forgets a strategy's vote (it was deleted or disabled).</summary>
    Task Withdraw(string strategyId);

    /// <summary>
    /// The latest votes, the combined target and risk's last decision on it. Interleaves: it reads in one synchronous
    /// step, so a poll never waits for the order path this grain runs (a vote awaiting risk and execution).
    /// </summary>
    [AlwaysInterleave]
    Task<SymbolSignals> GetSignals();
}
