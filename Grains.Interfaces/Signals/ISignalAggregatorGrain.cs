namespace TradingOrleans.Grains.Interfaces.Signals;

/// <summary>Per symbol: votes the strategies' latest signals into one combined target.</summary>
public interface ISignalAggregatorGrain : IGrainWithStringKey
{
    Task Submit(IReadOnlyList<Signal> signals);

    /// <summary>Forgets a strategy's vote (it was deleted or disabled).</summary>
    Task Withdraw(string strategyId);

    Task<SymbolSignals> GetSignals();
}
