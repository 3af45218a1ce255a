using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// One strategy's hit rate and payoff ratio on one symbol, the inputs of its Kelly fraction: each signal is judged by
/// the price move until the strategy's next signal (a hit when the move has the sign of the signal's score), weighted
/// exponentially so recent signals count most. Flat signals are not judged: they took no risk. Its weight in the vote
/// is not set here but by its attributed PnL (<see cref="PnlWeighting"/>).
/// </summary>
public sealed class StrategyTrackRecord(SignalOptions options, TrackRecordState? state = null)
{
    private readonly double _decay = Math.Pow(2, -1 / options.PerformanceHalfLife);

    /// <summary>What the aggregator persists.</summary>
    public TrackRecordState State { get; } = state ?? new TrackRecordState();

    /// <summary>Signals judged so far (not decayed).</summary>
    public int JudgedSignals => State.JudgedSignals;

    /// <summary>Exponentially weighted share of judged signals that were right; 0.5 before any.</summary>
    public double HitRate => State.WeightedCount > 0 ? State.WeightedHits / State.WeightedCount : 0.5;

    /// <summary>Exponentially weighted mean of score × return over the judged signals (the return the signal earned).</summary>
    public double AverageReturn => State.WeightedCount > 0 ? State.WeightedReturn / State.WeightedCount : 0;

    /// <summary>Exponentially weighted mean gain of winning signals over mean loss of losing ones; null until both exist.</summary>
    public double? PayoffRatio => State.WeightedWinCount > 0 && State.WeightedLossCount > 0 && State.WeightedLosses > 0
        ? State.WeightedWins / State.WeightedWinCount / (State.WeightedLosses / State.WeightedLossCount)
        : null;

    /// <summary>
    /// Full Kelly fraction f* = p − (1 − p) / b from the hit rate p and payoff ratio b, once
    /// <c>MinimumJudgedSignals</c> are judged and both a win and a loss have been seen; null before.
    /// </summary>
    public double? FullKelly => JudgedSignals >= options.MinimumJudgedSignals && PayoffRatio is { } payoff
        ? Quant.KellySizing.FullKelly(HitRate, payoff)
        : null;

    /// <summary>Judges the previous signal against this one's price, then remembers this one.</summary>
    public void Observe(Signal signal)
    {
        if (State.Previous is { Score: not 0 } previous && previous.Price > 0 && signal.MarketTime > previous.MarketTime)
        {
            var move = (double)(signal.Price / previous.Price) - 1;
            var earned = previous.Score * move;
            State.WeightedHits = _decay * State.WeightedHits + (earned > 0 ? 1 : 0);
            State.WeightedReturn = _decay * State.WeightedReturn + earned;
            State.WeightedCount = _decay * State.WeightedCount + 1;
            State.WeightedWins = _decay * State.WeightedWins + Math.Max(earned, 0);
            State.WeightedWinCount = _decay * State.WeightedWinCount + (earned > 0 ? 1 : 0);
            State.WeightedLosses = _decay * State.WeightedLosses + Math.Max(-earned, 0);
            State.WeightedLossCount = _decay * State.WeightedLossCount + (earned < 0 ? 1 : 0);
            State.JudgedSignals++;
        }

        State.Previous = signal;
    }

    /// <summary>The strategy stopped voting: its last signal is not judged by a price it did not see through.</summary>
    public void Interrupted() => State.Previous = null;
}

/// <summary>A track record's figures, persisted with its aggregator.</summary>
[GenerateSerializer]
public sealed class TrackRecordState
{
    [Id(0)] public Signal? Previous { get; set; }

    [Id(1)] public int JudgedSignals { get; set; }

    [Id(2)] public double WeightedHits { get; set; }

    [Id(3)] public double WeightedReturn { get; set; }

    [Id(4)] public double WeightedCount { get; set; }

    [Id(5)] public double WeightedWins { get; set; }

    [Id(6)] public double WeightedWinCount { get; set; }

    [Id(7)] public double WeightedLosses { get; set; }

    [Id(8)] public double WeightedLossCount { get; set; }
}
