using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Tests.Signals;

public sealed class SignalVoteTests
{
    private static readonly DateTimeOffset BarTime = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    private static Signal Vote(string strategy, SignalDirection direction, double strength = 1.0, double weight = 1.0) =>
        new(strategy, "BTCUSDT", direction, direction == SignalDirection.Flat ? 0 : strength, 29000m, "test", BarTime, BarTime, weight);

    [Fact]
    public void Weighted_score_is_the_weight_averaged_direction_times_strength()
    {
        // (2 × +1 × 1.0 + 1 × −1 × 0.5 + 1 × 0) / (2 + 1 + 1) = 1.5 / 4 = 0.375
        var score = SignalVote.WeightedScore([
            (Vote("a", SignalDirection.Long, 1.0), 2),
            (Vote("b", SignalDirection.Short, 0.5), 1),
            (Vote("c", SignalDirection.Flat), 1),
        ]);

        Assert.Equal(0.375, score, 12);
    }

    [Fact]
    public void First_long_vote_emits_a_long_target_and_repeating_it_emits_nothing()
    {
        var vote = new SignalVote("BTCUSDT");

        var first = vote.Add([Vote("sma", SignalDirection.Long)]);
        var repeat = vote.Add([Vote("sma", SignalDirection.Long)]);

        Assert.NotNull(first);
        Assert.Equal(SignalDirection.Long, first.Direction);
        Assert.Equal(1.0, first.TargetExposure);
        Assert.Equal(1, first.Sequence);
        Assert.Null(repeat);
    }

    [Fact]
    public void A_second_strategy_disagreeing_halves_then_flattens_the_target()
    {
        var vote = new SignalVote("BTCUSDT");
        vote.Add([Vote("sma", SignalDirection.Long)]);

        var neutral = vote.Add([Vote("rsi", SignalDirection.Flat)]);
        var opposed = vote.Add([Vote("rsi", SignalDirection.Short)]);

        Assert.Equal(0.5, neutral!.TargetExposure);
        Assert.Equal(SignalDirection.Flat, opposed!.Direction);
        Assert.Equal(0.0, opposed.TargetExposure);
        Assert.Equal(3, opposed.Sequence);
        Assert.Equal(["rsi", "sma"], opposed.Contributions.Select(c => c.StrategyId));
    }

    [Fact]
    public void Moves_smaller_than_the_minimum_change_are_not_emitted()
    {
        var vote = new SignalVote("BTCUSDT", new SignalOptions { MinimumTargetChange = 0.1 });
        vote.Add([Vote("a", SignalDirection.Long, 0.50)]);

        Assert.Null(vote.Add([Vote("a", SignalDirection.Long, 0.55)]));
        Assert.Equal(0.65, vote.Add([Vote("a", SignalDirection.Long, 0.65)])!.TargetExposure, 12);
    }

    [Fact]
    public void Withdrawing_the_only_vote_returns_the_target_to_flat()
    {
        var vote = new SignalVote("BTCUSDT");
        var entry = vote.Add([Vote("sma", SignalDirection.Short)])!;

        var withdrawn = vote.Withdraw("sma", entry.Price, entry.MarketTime, entry.IngestedAt);

        Assert.Equal(SignalDirection.Flat, withdrawn!.Direction);
        Assert.Empty(vote.Latest);
        Assert.Null(vote.Withdraw("unknown", entry.Price, entry.MarketTime, entry.IngestedAt));
    }
}
