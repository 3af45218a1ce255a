using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// Per symbol: votes the strategies' signals (weighted by their track records) and sends each changed target to
/// the order entry (risk, then execution). The track records live in memory: after a deactivation they start again.
/// </summary>
public sealed class SignalAggregatorGrain(TradingMetrics metrics, IOptions<SignalOptions> options) : Grain, ISignalAggregatorGrain
{
    private SignalVote _vote = null!;
    private RiskDecision? _lastDecision;

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IOrderEntryGrain _entry = null!;

    private string Symbol => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _vote = new SignalVote(Symbol, options.Value);
        _entry = GrainFactory.GetGrain<IOrderEntryGrain>(0);
        return Task.CompletedTask;
    }

    Task ISignalAggregatorGrain.Submit(IReadOnlyList<Signal> signals)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var combined = _vote.Add(signals);
        if (combined is null && _lastDecision is { TargetReached: false } && signals.Count > 0)
        {
            var newest = signals[^1];
            combined = _vote.Restate(newest.Price, newest.MarketTime, newest.IngestedAt);
        }

        metrics.StageCompleted("aggregation", started);
        return Act(combined);
    }

    Task ISignalAggregatorGrain.Withdraw(string strategyId)
    {
        var last = _vote.LastCombined;
        return last is null ? Task.CompletedTask : Act(_vote.Withdraw(strategyId, last.Price, last.MarketTime, last.IngestedAt));
    }

    Task<SymbolSignals> ISignalAggregatorGrain.GetSignals() =>
        Task.FromResult(new SymbolSignals(
            Symbol,
            [.. _vote.Latest.OrderBy(s => s.StrategyId, StringComparer.Ordinal)],
            _vote.LastCombined,
            _lastDecision,
            _vote.Performance));

    private async Task Act(CombinedSignal? combined)
    {
        if (combined is null)
        {
            return;
        }

        _lastDecision = (await _entry.SubmitSignal(combined)).Decision;
    }
}
