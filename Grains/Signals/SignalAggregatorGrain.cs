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

/// <summary>Persisted part of a SignalAggregatorGrain: the track records, the attributed PnL weighing the votes, and when it is next taken.</summary>
[GenerateSerializer]
public sealed class SignalAggregatorState
{
    [Id(0)] public SignalVoteState Vote { get; set; } = new();

    [Id(1)] public DateTimeOffset NextPerformanceUpdate { get; set; }
}

/// <summary>
/// Per symbol: votes the strategies' signals (weighted by their attributed PnL) and sends each changed target down its
/// own <see cref="OrderRoute"/> (risk, then execution), in its turn: no call to the order entry grain. Every
/// <see cref="SignalOptions.PerformanceUpdateEvery"/> of market time, on the first bar past it and before that bar's
/// vote, it takes its strategies' attributed PnL from the portfolio's shadow books and saves its track records: one call
/// and one write per symbol per interval, not per order, and in market time, so a backtest re-weighs on the same bars on
/// every run. A restart loses at most an interval of hit rates.
/// A target a passing fault of the order path stopped is caught up (<see cref="OrderCatchUp"/>): its signal is sent again
/// on a timer, off the bars' way, so market data never waits for the retries.
/// </summary>
public sealed class SignalAggregatorGrain(
    [PersistentState("signals")] IPersistentState<SignalAggregatorState> state,
    TradingMetrics metrics,
    IOptions<SignalOptions> options,
    IOptions<OrderPathOptions> orderPath,
    IOptions<RiskOptions> risk,
    OrderPathGuard guard,
    IReadOnlyList<IBroker> venues,
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
    private OrderRoute _route = null!;
    private IPortfolioGrain _portfolio = null!;

    private string Symbol => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _vote = new SignalVote(Symbol, options.Value, state.State.Vote);
        _catchUp = new OrderCatchUp(orderPath.Value.RetryBaseDelay, orderPath.Value.RetryMaxDelay, risk.Value.MaxSignalAge, Random.Shared);
        _route = new OrderRoute(GrainFactory, guard, venues, time);
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The standings are this activation's exports; the records behind them are saved and come back with the next one.
        foreach (var strategyId in _standings.Keys)
        {
            metrics.StrategyWithdrawn(Symbol, strategyId);
        }

        await state.WriteStateAsync(cancellationToken);
    }

    async Task ISignalAggregatorGrain.Submit(IReadOnlyList<Signal> signals)
    {
        if (signals.Count > 0 && signals[^1].MarketTime >= state.State.NextPerformanceUpdate)
        {
            await UpdatePerformance(signals[^1].MarketTime);
        }

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
        await Act(combined);
    }

    /// <summary>
    /// Takes the strategies' attributed PnL for their weights and saves the records. The portfolio is asked through the
    /// order path's guard (its timeout and breaker): a portfolio that does not answer leaves the weights as they were,
    /// and the next bar asks again.
    /// </summary>
    private async Task UpdatePerformance(DateTimeOffset marketTime)
    {
        var (pnl, failure) = await guard.Call(OrderPathHop.Portfolio, () => _portfolio.GetStrategyPnl(Symbol));
        if (pnl is null)
        {
            logger.LogWarning("{Symbol}: the strategies' attributed PnL could not be taken ({Failure}); their weights stay as they were", Symbol, failure);
            return;
        }

        _vote.UsePerformance(pnl);
        var every = options.Value.PerformanceUpdateEvery;
        state.State.NextPerformanceUpdate = new DateTimeOffset((marketTime.UtcTicks / every.Ticks + 1) * every.Ticks, TimeSpan.Zero);
        await state.WriteStateAsync();
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
            reviewed = await _route.SubmitSignal(combined);
        }
        catch (Exception e)
        {
            CatchUp(combined, $"the order path failed: {e.GetType().Name}: {e.Message}", OrderPathHop.Risk);
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
