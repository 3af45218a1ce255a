using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// Per symbol: votes the strategies' signals (weighted by their track records) and sends each changed target to
/// the order entry (risk, then execution). The track records live in memory: after a deactivation they start again.
/// A target a passing fault of the order path stopped is caught up (<see cref="OrderCatchUp"/>): its signal is sent again
/// on a timer, off the bars' way, so market data never waits for the retries.
/// </summary>
public sealed class SignalAggregatorGrain(
    TradingMetrics metrics,
    IOptions<SignalOptions> options,
    IOptions<OrderPathOptions> orderPath,
    IOptions<RiskOptions> risk,
    TimeProvider time,
    ILogger<SignalAggregatorGrain> logger) : Grain, ISignalAggregatorGrain
{
    private SignalVote _vote = null!;
    private RiskDecision? _lastDecision;
    private OrderCatchUp _catchUp = null!;
    private IGrainTimer? _retry;

    // Each voting strategy's exported standing, kept so a signal updates it without a lookup in the shared registry.
    private readonly Dictionary<string, TradingMetrics.StrategyStanding> _standings = new(StringComparer.Ordinal);

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IOrderEntryGrain _entry = null!;

    private string Symbol => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _vote = new SignalVote(Symbol, options.Value);
        _catchUp = new OrderCatchUp(orderPath.Value.RetryBaseDelay, orderPath.Value.RetryMaxDelay, risk.Value.MaxSignalAge, Random.Shared);
        _entry = GrainFactory.GetGrain<IOrderEntryGrain>(0);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The track records live in this activation only: their weights and hit rates go with it.
        foreach (var strategyId in _standings.Keys)
        {
            metrics.StrategyWithdrawn(Symbol, strategyId);
        }

        return Task.CompletedTask;
    }

    Task ISignalAggregatorGrain.Submit(IReadOnlyList<Signal> signals)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var combined = _vote.Add(signals);
        foreach (var signal in signals)
        {
            if (!_standings.TryGetValue(signal.StrategyId, out var standing))
            {
                _standings[signal.StrategyId] = standing = metrics.StandingOf(Symbol, signal.StrategyId);
            }

            var record = _vote.TrackRecord(signal.StrategyId);
            standing.Update(_vote.WeightOf(signal), record.HitRate, record.JudgedSignals);
        }

        // While a signal is owed, its retries carry the target; a restated one would supersede it under a new intent id.
        if (combined is null && signals.Count > 0 && _catchUp.Pending is null && (_lastDecision is { TargetReached: false } || _catchUp.RestateOnNextBar))
        {
            var newest = signals[^1];
            combined = _vote.Restate(newest.Price, newest.MarketTime, newest.IngestedAt);
        }

        metrics.StageCompleted("aggregation", started);
        return Act(combined);
    }

    Task ISignalAggregatorGrain.Withdraw(string strategyId)
    {
        _standings.Remove(strategyId);
        metrics.StrategyWithdrawn(Symbol, strategyId);
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

        ReviewedOrder reviewed;
        try
        {
            reviewed = await _entry.SubmitSignal(combined);
        }
        catch (Exception e)
        {
            CatchUp(combined, $"the order entry failed: {e.GetType().Name}: {e.Message}", OrderPathHop.Risk);
            return;
        }

        _lastDecision = reviewed.Decision;
        if (reviewed.Fault is { } fault)
        {
            CatchUp(combined, fault.Reason, fault.Hop);
            return;
        }

        _catchUp.Delivered();
        _retry?.Dispose();
        _retry = null;
    }

    private void CatchUp(CombinedSignal signal, string reason, OrderPathHop hop)
    {
        var delay = _catchUp.Failed(signal);
        metrics.OrderPathFault(Symbol, hop);
        logger.LogWarning("{Symbol}: signal {Sequence} did not get through ({Reason}); attempt {Attempt} in {Delay}",
            Symbol, signal.Sequence, reason, _catchUp.Attempts + 1, delay);
        _retry?.Dispose();
        _retry = this.RegisterGrainTimer(SendOwedSignal, delay, Timeout.InfiniteTimeSpan);
    }

    private Task SendOwedSignal(CancellationToken cancellationToken)
    {
        _retry?.Dispose();
        _retry = null;
        var owed = _catchUp.Due(time.GetUtcNow());
        if (_catchUp.RestateOnNextBar)
        {
            logger.LogWarning("{Symbol}: the owed signal went stale before it got through; the next bar restates the target", Symbol);
        }

        return Act(owed);
    }
}
