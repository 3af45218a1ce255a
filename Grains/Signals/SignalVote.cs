using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// Keeps the latest signal of each strategy on one symbol and votes them into a combined target exposure, each
/// strategy weighted by its configured weight times the performance factor of its attributed PnL on the symbol
/// (<see cref="PnlWeighting"/>).
/// When a quorum is set, a vote stands only if that share of the voting weight agrees with its direction.
/// A new <see cref="CombinedSignal"/> is produced only when the target moves by at least
/// <see cref="SignalOptions.MinimumTargetChange"/> or flips direction, so unchanged views do not churn orders.
/// </summary>
public sealed class SignalVote(string symbol, SignalOptions? options = null, SignalVoteState? state = null)
{
    private readonly SignalOptions _options = options ?? new SignalOptions();
    private readonly Dictionary<string, Signal> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StrategyTrackRecord> _records = new(StringComparer.Ordinal);
    private double _lastTarget;
    private long _sequence;

    public IReadOnlyCollection<Signal> Latest => _latest.Values;

    /// <summary>The track records and attributed PnL, as the aggregator persists them.</summary>
    public SignalVoteState State { get; } = state ?? new SignalVoteState();

    /// <summary>Each voting strategy's track record and the weight it earns, by strategy id.</summary>
    public IReadOnlyList<StrategyPerformance> Performance =>
    [
        .. _latest.Values.OrderBy(s => s.StrategyId, StringComparer.Ordinal).Select(signal =>
        {
            var record = Record(signal.StrategyId);
            var pnl = State.Pnl.GetValueOrDefault(signal.StrategyId);
            return new StrategyPerformance(signal.StrategyId, record.JudgedSignals, record.HitRate, record.AverageReturn,
                signal.Weight, FactorOf(signal.StrategyId), WeightOf(signal), PnlWeighting.Explain(pnl, _options),
                record.PayoffRatio, record.FullKelly, pnl?.PnlOverHorizon, pnl?.NetPnl, pnl?.AsOf);
        }),
    ];

    public CombinedSignal? LastCombined { get; private set; }

    /// <summary>The strategy's track record on this symbol (a fresh one before its first signal).</summary>
    public StrategyTrackRecord TrackRecord(string strategyId) => Record(strategyId);

    /// <summary>The weight a signal votes with: its strategy's configured weight times its performance factor.</summary>
    public double WeightOf(Signal signal) => signal.Weight * FactorOf(signal.StrategyId);

    /// <summary>What the strategy's attributed PnL on this symbol makes of its configured weight.</summary>
    public double FactorOf(string strategyId) => PnlWeighting.Factor(State.Pnl.GetValueOrDefault(strategyId), _options);

    /// <summary>
    /// Takes the strategies' attributed PnL on this symbol (from the portfolio's shadow books) for their weights from
    /// the next vote on; a strategy not in <paramref name="pnl"/> has none yet and keeps its configured weight.
    /// </summary>
    public void UsePerformance(IReadOnlyList<StrategyPnl> pnl)
    {
        State.Pnl.Clear();
        foreach (var entry in pnl)
        {
            State.Pnl[entry.StrategyId] = entry;
        }
    }

    /// <summary>Records the signals and returns a new combined signal when the voted target changed.</summary>
    public CombinedSignal? Add(IReadOnlyList<Signal> signals)
    {
        if (signals.Count == 0)
        {
            return null;
        }

        foreach (var signal in signals)
        {
            Record(signal.StrategyId).Observe(signal);
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

    /// <summary>
    /// Drops a strategy's vote; returns the re-voted signal if that changed the target. Its track record is kept for
    /// when it votes again (re-enabled, or out of quarantine).
    /// </summary>
    public CombinedSignal? Withdraw(string strategyId, decimal price, DateTimeOffset marketTime, DateTimeOffset ingestedAt)
    {
        Record(strategyId).Interrupted();
        return _latest.Remove(strategyId) ? Vote(price, marketTime, ingestedAt) : null;
    }

    /// <summary>The weighted mean of direction × strength, in [-1, 1]; weights are given per signal.</summary>
    public static double WeightedScore(IEnumerable<(Signal Signal, double Weight)> votes)
    {
        double weighted = 0, totalWeight = 0;
        foreach (var (signal, weight) in votes)
        {
            weighted += weight * signal.Score;
            totalWeight += weight;
        }

        return totalWeight > 0 ? Math.Clamp(weighted / totalWeight, -1.0, 1.0) : 0.0;
    }

    /// <summary>Share of the total weight whose vote points the same way as <paramref name="score"/> (1 for a flat score).</summary>
    public static double AgreeingShare(IEnumerable<(Signal Signal, double Weight)> votes, double score)
    {
        double agreeing = 0, totalWeight = 0;
        foreach (var (signal, weight) in votes)
        {
            totalWeight += weight;
            agreeing += Math.Sign(signal.Score) == Math.Sign(score) && score != 0 ? weight : 0;
        }

        return score == 0 || totalWeight == 0 ? 1 : agreeing / totalWeight;
    }

    /// <summary>
    /// The weight × strength average of the full Kelly fractions of the strategies voting the target's way (those
    /// with a long enough record); null when there are none.
    /// </summary>
    public static double? CombinedKelly(IEnumerable<SignalContribution> contributions, double target)
    {
        double weighted = 0, total = 0;
        foreach (var c in contributions)
        {
            if (c.FullKelly is { } kelly && target != 0 && (int)c.Direction == Math.Sign(target))
            {
                weighted += c.Weight * c.Strength * kelly;
                total += c.Weight * c.Strength;
            }
        }

        return total > 0 ? weighted / total : null;
    }

    private StrategyTrackRecord Record(string strategyId)
    {
        if (_records.TryGetValue(strategyId, out var record))
        {
            return record;
        }

        if (!State.Records.TryGetValue(strategyId, out var kept))
        {
            State.Records[strategyId] = kept = new TrackRecordState();
        }

        return _records[strategyId] = new StrategyTrackRecord(_options, kept);
    }

    private CombinedSignal? Vote(decimal price, DateTimeOffset marketTime, DateTimeOffset ingestedAt)
    {
        var votes = _latest.Values.Select(s => (Signal: s, Weight: WeightOf(s))).ToArray();
        var score = Math.Round(WeightedScore(votes), 4);
        var agreeing = AgreeingShare(votes, score);
        var quorumMet = agreeing >= _options.Quorum;
        var target = quorumMet ? score : 0;
        var flipped = Math.Sign(target) != Math.Sign(_lastTarget);
        if (!flipped && Math.Abs(target - _lastTarget) < _options.MinimumTargetChange)
        {
            return null;
        }

        _lastTarget = target;
        var contributions = votes
            .OrderBy(v => v.Signal.StrategyId, StringComparer.Ordinal)
            .Select(v => new SignalContribution(v.Signal.StrategyId, v.Signal.Direction, v.Signal.Strength, v.Weight,
                v.Signal.Weight, FactorOf(v.Signal.StrategyId), Record(v.Signal.StrategyId).FullKelly))
            .ToArray();
        var kelly = CombinedKelly(contributions, target);
        var reason = $"weighted score {score:F4} from {votes.Length} strategies; {agreeing:P0} of the weight agrees"
            + (_options.Quorum > 0 ? $" (quorum {_options.Quorum:P0}{(quorumMet ? " met" : " not met: flat")})" : "");
        var direction = target switch
        {
            > 0 => SignalDirection.Long,
            < 0 => SignalDirection.Short,
            _ => SignalDirection.Flat,
        };
        LastCombined = new CombinedSignal(symbol, ++_sequence, direction, target, contributions, price, marketTime, ingestedAt, reason, kelly);
        return LastCombined;
    }
}

/// <summary>What a vote keeps across restarts: each strategy's track record and the attributed PnL its weight comes from.</summary>
[GenerateSerializer]
public sealed class SignalVoteState
{
    [Id(0)] public Dictionary<string, TrackRecordState> Records { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, StrategyPnl> Pnl { get; set; } = new(StringComparer.Ordinal);
}
