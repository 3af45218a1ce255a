using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// Keeps the latest signal of each strategy on one symbol and votes them into a combined target exposure.
/// A new <see cref="CombinedSignal"/> is produced only when the target moves by at least
/// <see cref="MinimumTargetChange"/> or flips direction, so unchanged views do not churn orders.
/// </summary>
public sealed class SignalVote(string symbol, double minimumTargetChange = 0.05)
{
    private readonly Dictionary<string, Signal> _latest = new(StringComparer.Ordinal);
    private double _lastTarget;
    private long _sequence;

    /// <summary>Smallest move of the target exposure (in [0, 2]) that is worth a new combined signal.</summary>
    public double MinimumTargetChange { get; } = minimumTargetChange;

    public IReadOnlyCollection<Signal> Latest => _latest.Values;

    public CombinedSignal? LastCombined { get; private set; }

    /// <summary>Records the signals and returns a new combined signal when the voted target changed.</summary>
    public CombinedSignal? Add(IReadOnlyList<Signal> signals)
    {
        if (signals.Count == 0)
        {
            return null;
        }

        foreach (var signal in signals)
        {
            _latest[signal.StrategyId] = signal;
        }

        // The newest signal carries the price, bar time and ingest time that the combined signal answers to.
        var newest = signals[^1];
        return Vote(newest.Price, newest.MarketTime, newest.IngestedAt);
    }

    /// <summary>
    /// The current target again, re-stamped with the newest bar: used when the last order could not reach the
    /// target in one go (order limit), so execution keeps working towards it bar by bar.
    /// </summary>
    public CombinedSignal? Restate(decimal price, DateTimeOffset marketTime, DateTimeOffset ingestedAt) =>
        LastCombined is null ? null : LastCombined = LastCombined with
        {
            Sequence = ++_sequence,
            Price = price,
            MarketTime = marketTime,
            IngestedAt = ingestedAt,
        };

    /// <summary>Drops a strategy's vote; returns the re-voted signal if that changed the target.</summary>
    public CombinedSignal? Withdraw(string strategyId, decimal price, DateTimeOffset marketTime, DateTimeOffset ingestedAt) =>
        _latest.Remove(strategyId) ? Vote(price, marketTime, ingestedAt) : null;

    /// <summary>The weighted mean of direction × strength over every strategy's latest signal, in [-1, 1].</summary>
    public static double WeightedScore(IEnumerable<Signal> signals)
    {
        double weighted = 0, totalWeight = 0;
        foreach (var signal in signals)
        {
            weighted += signal.Weight * signal.Score;
            totalWeight += signal.Weight;
        }

        return totalWeight > 0 ? Math.Clamp(weighted / totalWeight, -1.0, 1.0) : 0.0;
    }

    private CombinedSignal? Vote(decimal price, DateTimeOffset marketTime, DateTimeOffset ingestedAt)
    {
        var target = Math.Round(WeightedScore(_latest.Values), 4);
        var flipped = Math.Sign(target) != Math.Sign(_lastTarget);
        if (!flipped && Math.Abs(target - _lastTarget) < MinimumTargetChange)
        {
            return null;
        }

        _lastTarget = target;
        var contributions = _latest.Values
            .OrderBy(s => s.StrategyId, StringComparer.Ordinal)
            .Select(s => new SignalContribution(s.StrategyId, s.Direction, s.Strength, s.Weight))
            .ToArray();
        var direction = target switch
        {
            > 0 => SignalDirection.Long,
            < 0 => SignalDirection.Short,
            _ => SignalDirection.Flat,
        };
        LastCombined = new CombinedSignal(symbol, ++_sequence, direction, target, contributions, price, marketTime, ingestedAt);
        return LastCombined;
    }
}
