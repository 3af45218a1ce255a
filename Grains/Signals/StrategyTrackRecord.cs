using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// One strategy's record on one symbol: each signal is judged by the price move until the strategy's next signal
/// (a hit when the move has the sign of the signal's score), weighted exponentially so recent signals count most.
/// </summary>
/// <remarks>
/// The performance factor is 2 × hit rate, kept within [floor, cap]: a coin-flip strategy keeps its configured
/// weight (× 1), one right three times in four gets × 1.5. Until <c>MinimumJudgedSignals</c> have been judged it
/// is 1. Flat signals are not judged: they took no risk.
/// </remarks>
public sealed class StrategyTrackRecord(SignalOptions options)
{
    private readonly double _decay = Math.Pow(2, -1 / options.PerformanceHalfLife);
    private Signal? _previous;
    private double _weightedHits;
    private double _weightedReturn;
    private double _weightedCount;
    private double _weightedWins;
    private double _weightedWinCount;
    private double _weightedLosses;
    private double _weightedLossCount;

    /// <summary>Signals judged so far (not decayed).</summary>
    public int JudgedSignals { get; private set; }

    /// <summary>Exponentially weighted share of judged signals that were right; 0.5 before any.</summary>
    public double HitRate => _weightedCount > 0 ? _weightedHits / _weightedCount : 0.5;

    /// <summary>Exponentially weighted mean of score × return over the judged signals (the return the signal earned).</summary>
    public double AverageReturn => _weightedCount > 0 ? _weightedReturn / _weightedCount : 0;

    /// <summary>Exponentially weighted mean gain of winning signals over mean loss of losing ones; null until both exist.</summary>
    public double? PayoffRatio => _weightedWinCount > 0 && _weightedLossCount > 0 && _weightedLosses > 0
        ? _weightedWins / _weightedWinCount / (_weightedLosses / _weightedLossCount)
        : null;

    /// <summary>
    /// Full Kelly fraction f* = p − (1 − p) / b from the hit rate p and payoff ratio b, once
    /// <c>MinimumJudgedSignals</c> are judged and both a win and a loss have been seen; null before.
    /// </summary>
    public double? FullKelly => JudgedSignals >= options.MinimumJudgedSignals && PayoffRatio is { } payoff
        ? Quant.KellySizing.FullKelly(HitRate, payoff)
        : null;

    public double PerformanceFactor => JudgedSignals < options.MinimumJudgedSignals
        ? 1.0
        : Math.Clamp(2 * HitRate, options.WeightFloor, options.WeightCap);

    /// <summary>Judges the previous signal against this one's price, then remembers this one.</summary>
    public void Observe(Signal signal)
    {
        if (_previous is { Score: not 0 } previous && previous.Price > 0 && signal.MarketTime > previous.MarketTime)
        {
            var move = (double)(signal.Price / previous.Price) - 1;
            var earned = previous.Score * move;
            _weightedHits = _decay * _weightedHits + (earned > 0 ? 1 : 0);
            _weightedReturn = _decay * _weightedReturn + earned;
            _weightedCount = _decay * _weightedCount + 1;
            _weightedWins = _decay * _weightedWins + Math.Max(earned, 0);
            _weightedWinCount = _decay * _weightedWinCount + (earned > 0 ? 1 : 0);
            _weightedLosses = _decay * _weightedLosses + Math.Max(-earned, 0);
            _weightedLossCount = _decay * _weightedLossCount + (earned < 0 ? 1 : 0);
            JudgedSignals++;
        }

        _previous = signal;
    }

    public string Explain() => JudgedSignals < options.MinimumJudgedSignals
        ? $"{JudgedSignals} of {options.MinimumJudgedSignals} signals judged: configured weight unchanged"
        : $"hit rate {HitRate:P1} over {JudgedSignals} signals (half-life {options.PerformanceHalfLife}): weight × {PerformanceFactor:F2} (2 × hit rate within [{options.WeightFloor}, {options.WeightCap}])";
}
