using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Tests.Signals;

/// <summary>Track records, performance factors from attributed PnL and the quorum, with every number worked out by hand.</summary>
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
    }

    private static StrategyPnl Pnl(string strategy, decimal overHorizon) =>
        new(strategy, "BTCUSDT", overHorizon, overHorizon, TimeSpan.FromDays(3), FullPositionCapital: 200m, Start);

    [Fact]
    public void Performance_factor_is_the_exponential_of_the_attributed_return_within_floor_and_cap()
    {
        // A full position commits 200 (20 % of 1,000); η = 20: factor = exp(20 × PnL / 200), within [0.25, 2].
        var options = new SignalOptions();
        Assert.Equal(1.0, PnlWeighting.Factor(null, options)); // no shadow trade yet
        Assert.Equal(1.0, PnlWeighting.Factor(Pnl("flat", 0m), options));
        Assert.Equal(1.3498588075760032, PnlWeighting.Factor(Pnl("up", 3m), options), 12); // exp(0.3)
        Assert.Equal(0.6065306597126334, PnlWeighting.Factor(Pnl("down", -5m), options), 12); // exp(−0.5)
        Assert.Equal(2.0, PnlWeighting.Factor(Pnl("best", 7m), options)); // exp(0.7) = 2.01, capped
        Assert.Equal(0.25, PnlWeighting.Factor(Pnl("worst", -30m), options)); // exp(−3) = 0.05, floored
        Assert.Equal(1.0, PnlWeighting.Factor(Pnl("insensitive", -30m), new SignalOptions { PnlSensitivity = 0 }));
        Assert.Equal(
            "attributed PnL after fees over 3.00:00:00: -5 (-2.50% of a full position, 200): weight × exp(20 × -0.025) = 0.61 (within [0.25, 2])",
            PnlWeighting.Explain(Pnl("down", -5m), options));
    }

    [Fact]
    public void A_withdrawn_strategy_keeps_its_record_but_its_last_signal_is_not_judged_across_the_gap()
    {
        var vote = new SignalVote("BTCUSDT", new SignalOptions { PerformanceHalfLife = 1_000, MinimumTargetChange = 0 });
        vote.Add([At(0, "s", SignalDirection.Long, 100)]);
        vote.Add([At(1, "s", SignalDirection.Long, 110)]); // judged: a hit
        vote.Withdraw("s", 110, Start.AddMinutes(10), Start.AddMinutes(10));
        vote.Add([At(5, "s", SignalDirection.Long, 90)]); // back after a fall it did not hold through: not judged

        var record = vote.TrackRecord("s");
        Assert.Equal((1, 1.0), (record.JudgedSignals, record.HitRate));
        // The records live in the vote's state, which the aggregator persists: a vote over it after a restart has them.
        Assert.Equal(1, new SignalVote("BTCUSDT", null, vote.State).TrackRecord("s").JudgedSignals);
    }

    [Fact]
    public void Vote_shifts_towards_the_strategy_with_the_better_attributed_pnl()
    {
        // "trend" long, "contrarian" short, equal configured weights: flat until their PnL weighs them.
        var vote = new SignalVote("BTCUSDT", new SignalOptions { MinimumTargetChange = 0 });
        var even = vote.Add([At(0, "trend", SignalDirection.Long, 100), At(0, "contrarian", SignalDirection.Short, 100)]);
        Assert.Equal(0.0, even!.TargetExposure);

        vote.UsePerformance([Pnl("trend", 3m), Pnl("contrarian", -5m)]);
        var last = vote.Add([At(1, "trend", SignalDirection.Long, 101), At(1, "contrarian", SignalDirection.Short, 101)]);

        // Factors exp(0.3) = 1.34986 and exp(−0.5) = 0.60653: score (1.34986 − 0.60653) / 1.95639 = 0.3799.
        Assert.NotNull(last);
        Assert.Equal(0.3799, last.TargetExposure);
        var trend = last.Contributions.Single(c => c.StrategyId == "trend");
        Assert.Equal(1.0, trend.ConfiguredWeight);
        Assert.Equal(Math.Exp(0.3), trend.PerformanceFactor, 12);
        Assert.Equal(Math.Exp(0.3), trend.Weight, 12);
        var performance = vote.Performance.Single(p => p.StrategyId == "contrarian");
        Assert.Equal((-5m, -5m, Start), (performance.AttributedPnl, performance.AttributedNetPnl, performance.AttributedAsOf));
        Assert.Equal(Math.Exp(-0.5), performance.EffectiveWeight, 12);
        Assert.StartsWith("attributed PnL after fees over 3.00:00:00: -5", performance.Explanation);
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
