using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Strategies;

/// <summary>What one strategy made of one bar: its signal, or the problem that kept it from giving one.</summary>
public readonly record struct StrategyRun(Signal? Signal, StrategyFailure? Failure);

/// <summary>A strategy's failure on one bar.</summary>
/// <param name="Kind"><c>exception</c> or <c>over-budget</c> (the metric's label).</param>
public sealed record StrategyFailure(string Kind, string Problem);

/// <summary>
/// One strategy on one symbol, run so that its faults stay its own: an exception is caught, a run over the time
/// budget is not waited for, and each is counted; too many within the failure window quarantine it. A strategy
/// starts on the symbol grain's turn (microseconds, no hop) unless it is model-served; one that overran its budget
/// moves off the turn to the thread pool, where its bars queue in order and the grain waits for each signal only
/// up to the budget. Each run's compute time is recorded per strategy, and a served model's call in the model metrics. Not thread-safe: the grain calls it from its turn; only the off-turn chain runs elsewhere.
/// </summary>
public sealed class IsolatedStrategy
{
    public const string ExceptionFailure = "exception";
    public const string OverBudgetFailure = "over-budget";

    private readonly StrategyIsolationOptions _options;
    private readonly TimeProvider _time;
    private readonly TradingMetrics _metrics;
    private readonly TradingMetrics.StrategyRunTally _runs;
    private readonly Queue<long> _failureBars = new();
    private Task<StrategyRun> _offTurnChain = Task.FromResult(default(StrategyRun));
    private long _bars; // bumped on the off-turn thread too: read and written with Interlocked
    private StrategyFailure? _lastFailure;
    private DateTimeOffset? _lastFailureAt;

    public IsolatedStrategy(StrategyConfig config, IStrategy strategy, StrategyIsolationOptions options, TimeProvider time, TradingMetrics metrics,
        string? quarantineReason = null)
    {
        Config = config;
        Strategy = strategy;
        _options = options;
        _time = time;
        _metrics = metrics;
        _runs = metrics.RunTallyOf(strategy.Symbol, config.Id);
        RunsOffTurn = strategy is IModelServedStrategy;
        QuarantineReason = quarantineReason;
    }

    public StrategyConfig Config { get; }

    public IStrategy Strategy { get; }

    public bool RunsOffTurn { get; private set; }

    /// <summary>Why the strategy is quarantined; null while it runs.</summary>
    public string? QuarantineReason { get; private set; }

    public bool IsQuarantined => QuarantineReason is not null;

    /// <summary>Failures since this instance was built.</summary>
    public long TotalFailures { get; private set; }

    /// <summary>
    /// Runs the strategy on a bar: at once on the caller's turn, or queued behind its earlier bars off the turn. The
    /// caller takes the outcome with <see cref="Outcome"/>, which bounds the wait by the time budget.
    /// </summary>
    public ValueTask<StrategyRun> Start(Candle candle)
    {
        if (!RunsOffTurn)
        {
            return ValueTask.FromResult(RunTimed(candle));
        }

        _offTurnChain = _offTurnChain.ContinueWith(
            (_, bar) => RunGuarded((Candle)bar!, out TimeSpan _), candle, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return new ValueTask<StrategyRun>(_offTurnChain);
    }

    /// <summary>The outcome of a started run, waiting for an off-turn run at most until <paramref name="deadline"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public async ValueTask<StrategyRun> Outcome(ValueTask<StrategyRun> started, Candle candle, long deadline)
    {
        if (started.IsCompleted)
        {
            return started.Result;
        }

        var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        try
        {
            return await started.AsTask().WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time);
        }
        catch (TimeoutException)
        {
            return new StrategyRun(null, new StrategyFailure(OverBudgetFailure,
                Invariant($"gave no signal within its {_options.TimeBudget.TotalMilliseconds:0.###} ms budget on the bar closing at {candle.CloseTime:O}: skipped for that bar")));
        }
    }

    /// <summary>Feeds a bar without waiting for a signal (warm-up on the bars a symbol already has).</summary>
    public StrategyFailure? WarmUp(Candle candle)
    {
        if (RunsOffTurn)
        {
            Start(candle);
            return null;
        }

        return RunTimed(candle).Failure;
    }

    /// <summary>Counts a failure; true when it is the one that quarantines the strategy.</summary>
    public bool RecordFailure(StrategyFailure failure)
    {
        TotalFailures++;
        (_lastFailure, _lastFailureAt) = (failure, _time.GetUtcNow());
        _failureBars.Enqueue(Interlocked.Read(ref _bars));
        DropFailuresOutsideWindow();
        if (IsQuarantined || _failureBars.Count < _options.FailuresBeforeQuarantine)
        {
            return false;
        }

        QuarantineReason = Invariant($"{_failureBars.Count} failures within {_options.FailureWindowBars} bars; the last: {failure.Problem}");
        return true;
    }

    public StrategyHealth Health(string symbol)
    {
        DropFailuresOutsideWindow();
        return new StrategyHealth(Config.Id, symbol, IsQuarantined, QuarantineReason, _failureBars.Count, TotalFailures,
            _lastFailure?.Problem, _lastFailureAt, RunsOffTurn);
    }

    private StrategyRun RunTimed(Candle candle)
    {
        var run = RunGuarded(candle, out var took);
        if (run.Failure is null && took > _options.TimeBudget)
        {
            // The bar's signal came too late to trust the symbol's timing to this strategy again: later bars run off
            // the turn, so a strategy that keeps overrunning costs the symbol at most its budget per bar.
            RunsOffTurn = true;
            return new StrategyRun(null, new StrategyFailure(OverBudgetFailure,
                Invariant($"took {took.TotalMilliseconds:0.###} ms of its {_options.TimeBudget.TotalMilliseconds:0.###} ms budget on the bar closing at {candle.CloseTime:O}: its signal was dropped")));
        }

        return run;
    }

    /// <summary>Runs the strategy on a bar, catching what it throws; <paramref name="took"/> is how long it ran (counted in its tally).</summary>
    private StrategyRun RunGuarded(Candle candle, out TimeSpan took)
    {
        Interlocked.Increment(ref _bars);
        // One pair of timestamps per run, for both the budget and the tally: 32 strategies × 50 symbols run per bar cycle.
        var started = _time.GetTimestamp();
        try
        {
            var signal = Strategy.OnCandle(candle);
            took = _time.GetElapsedTime(started);
            _runs.Ran(took);
            if (Strategy is IModelServedStrategy { LastCall: { } call } served)
            {
                _metrics.ModelCalled(served, call.Took, call.Confidence);
            }

            return signal is null ? default : new StrategyRun(signal with { Weight = Config.Weight }, null);
        }
        catch (Exception exception)
        {
            took = _time.GetElapsedTime(started);
            return new StrategyRun(null, new StrategyFailure(ExceptionFailure,
                Invariant($"threw {exception.GetType().Name} on the bar closing at {candle.CloseTime:O}: {exception.Message}")));
        }
    }

    private void DropFailuresOutsideWindow()
    {
        var bars = Interlocked.Read(ref _bars);
        while (_failureBars.Count > 0 && bars - _failureBars.Peek() >= _options.FailureWindowBars)
        {
            _failureBars.Dequeue();
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
