using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Tests.Signals;

/// <summary>Track records, performance factors and the quorum, with every number worked out by hand.</summary>
public sealed class PerformanceWeightingTests
{
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Signal At(int bar, string strategy, SignalDirection direction, decimal price, double weight = 1) =>
        new(strategy, "BTCUSDT", direction, direction == SignalDirection.Flat ? 0 : 1, price, "test", Start.AddMinutes(5 * bar), Start.AddMinutes(5 * bar), weight);

    [Fact]
    public void Hit_rate_and_return_are_exponentially_weighted_over_judged_signals()
    {
        // Half-life 1 signal: decay ½. Long at 100 → 110 (hit, +10 %), long at 110 → 99 (miss, −10 %),
        // flat at 99 → 120 (not judged), short at 120 → 108 (hit, +10 %).
        var record = new StrategyTrackRecord(new SignalOptions { PerformanceHalfLife = 1, MinimumJudgedSignals = 0 });
        record.Observe(At(0, "s", SignalDirection.Long, 100));
        record.Observe(At(1, "s", SignalDirection.Long, 110));
        record.Observe(At(2, "s", SignalDirection.Flat, 99));
        record.Observe(At(3, "s", SignalDirection.Short, 120));
        record.Observe(At(4, "s", SignalDirection.Flat, 108));

        // Weighted hits: ((1 · ½ + 0) · ½ + 1) = 1.25 over weighted count ((1 · ½ + 1) · ½ + 1) = 1.75 → 0.714286.
        Assert.Equal(3, record.JudgedSignals);
        Assert.Equal(1.25 / 1.75, record.HitRate, 12);

        // Weighted return: ((0.1 · ½ − 0.1) · ½ + 0.1) / 1.75 = 0.075 / 1.75.
        Assert.Equal(0.075 / 1.75, record.AverageReturn, 12);
        Assert.Equal(2 * 1.25 / 1.75, record.PerformanceFactor, 12);
    }

    [Fact]
    public void Performance_factor_waits_for_enough_signals_and_stays_within_floor_and_cap()
    {
        var options = new SignalOptions { MinimumJudgedSignals = 3, WeightFloor = 0.25, WeightCap = 1.5 };
        var alwaysRight = new StrategyTrackRecord(options);
        var alwaysWrong = new StrategyTrackRecord(options);
        for (var bar = 0; bar <= 3; bar++)
        {
            var price = 100m + bar;
            alwaysRight.Observe(At(bar, "right", SignalDirection.Long, price));
            alwaysWrong.Observe(At(bar, "wrong", SignalDirection.Short, price));
            if (bar == 2)
            {
                Assert.Equal(1.0, alwaysRight.PerformanceFactor); // 2 judged, 3 needed
            }
        }

        Assert.Equal(1.5, alwaysRight.PerformanceFactor); // 2 × 100 % capped at 1.5
        Assert.Equal(0.25, alwaysWrong.PerformanceFactor); // 2 × 0 % floored at 0.25
        Assert.Contains("weight × 0.25", alwaysWrong.Explain());
    }

    [Fact]
    public void Vote_shifts_towards_the_strategy_with_the_better_record()
    {
        // "trend" is long into a rising market, "contrarian" short: equal configured weights.
        var vote = new SignalVote("BTCUSDT", new SignalOptions { MinimumJudgedSignals = 5, MinimumTargetChange = 0 });
        CombinedSignal? last = null;
        for (var bar = 0; bar <= 10; bar++)
        {
            var price = 100m + bar;
            last = vote.Add([At(bar, "trend", SignalDirection.Long, price), At(bar, "contrarian", SignalDirection.Short, price)]) ?? last;
        }

        // Factors: trend 2 × 100 % = 2 (the cap), contrarian 2 × 0 % → 0.25. Score (2 − 0.25) / 2.25 = 0.7778.
        Assert.NotNull(last);
        Assert.Equal(0.7778, last.TargetExposure);
        var trend = last.Contributions.Single(c => c.StrategyId == "trend");
        Assert.Equal((2.0, 1.0, 2.0), (trend.Weight, trend.ConfiguredWeight, trend.PerformanceFactor));
        Assert.Equal(0.25, last.Contributions.Single(c => c.StrategyId == "contrarian").Weight);
        var performance = vote.Performance.Single(p => p.StrategyId == "contrarian");
        Assert.Equal((10, 0.0, 0.25), (performance.JudgedSignals, performance.HitRate, performance.EffectiveWeight));
    }

    [Fact]
    public void Without_quorum_the_target_is_flat()
    {
        // Weights 3 long, 2 short: score (3 − 2) / 5 = 0.2 with 60 % of the weight agreeing.
        Signal[] split = [At(0, "a", SignalDirection.Long, 100, weight: 3), At(0, "b", SignalDirection.Short, 100, weight: 2)];

        var withoutQuorum = new SignalVote("BTCUSDT").Add(split)!;
        var quorumMet = new SignalVote("BTCUSDT", new SignalOptions { Quorum = 0.6 }).Add(split)!;
        var quorumMissed = new SignalVote("BTCUSDT", new SignalOptions { Quorum = 0.7 });

        Assert.Equal(0.2, withoutQuorum.TargetExposure);
        Assert.Equal(0.2, quorumMet.TargetExposure);
        Assert.Contains("quorum 60 % met", quorumMet.Reason);
        Assert.Null(quorumMissed.Add(split)); // flat from flat: nothing to do
        Assert.Equal(SignalDirection.Long, quorumMissed.Add([At(1, "b", SignalDirection.Long, 100, weight: 2)])!.Direction); // now 100 %
    }
}
