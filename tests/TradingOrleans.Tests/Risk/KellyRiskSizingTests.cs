using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Tests.Risk;

/// <summary>Fractional Kelly from the strategies' records to the order size, with the numbers worked out by hand.</summary>
public sealed class KellyRiskSizingTests
{
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RiskLimits Limits = TestLimits.Off with
    {
        MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m,
        MinOrderNotional = 10m, AllowShortSelling = true, KellyFraction = 0.5m,
    };

    private static readonly InstrumentRules Lot = new("BTCUSDT", 0.00001m);

    private static Signal At(int bar, SignalDirection direction, decimal price) =>
        new("s", "BTCUSDT", direction, 1, price, "test", Start.AddMinutes(5 * bar), Start.AddMinutes(5 * bar));

    [Fact]
    public void Track_record_gives_the_payoff_ratio_and_full_kelly()
    {
        // Half-life 1: long 100 → 110 (+10 %), long 110 → 99 (−10 %), short 120 → 108 (+10 %), flat 99 → 120 not judged.
        // Wins: weighted mean 0.125 / 1.25 = 0.1; losses 0.05 / 0.5 = 0.1 → b = 1. p = 1.25 / 1.75 → f* = p − (1 − p) / 1 = 0.428571.
        var record = new StrategyTrackRecord(new SignalOptions { PerformanceHalfLife = 1, MinimumJudgedSignals = 0 });
        record.Observe(At(0, SignalDirection.Long, 100));
        record.Observe(At(1, SignalDirection.Long, 110));
        record.Observe(At(2, SignalDirection.Flat, 99));
        record.Observe(At(3, SignalDirection.Short, 120));
        record.Observe(At(4, SignalDirection.Flat, 108));

        Assert.Equal(1.0, record.PayoffRatio!.Value, 12);
        Assert.Equal(2 * 1.25 / 1.75 - 1, record.FullKelly!.Value, 12);
    }

    [Fact]
    public void Combined_kelly_averages_the_strategies_voting_the_target_way_by_weight_and_strength()
    {
        SignalContribution[] contributions =
        [
            new("a", SignalDirection.Long, 1.0, 2, FullKelly: 0.3),
            new("b", SignalDirection.Long, 0.5, 1, FullKelly: 0.1),
            new("c", SignalDirection.Short, 1.0, 1, FullKelly: 0.5),
            new("d", SignalDirection.Long, 1.0, 1),
        ];

        // (2 · 1 · 0.3 + 1 · 0.5 · 0.1) / (2 · 1 + 1 · 0.5) = 0.65 / 2.5 = 0.26; c votes against, d has no record.
        Assert.Equal(0.26, SignalVote.CombinedKelly(contributions, target: 0.4)!.Value, 12);
        Assert.Null(SignalVote.CombinedKelly(contributions, target: 0));
    }

    [Theory]
    [InlineData(0.3, 0.3)] // λ 0.5 × f* 0.3 = 0.15 of equity: 15,000 / 50,000 = 0.3 BTC
    [InlineData(0.8, 0.4)] // 0.5 × 0.8 = 0.4, capped at PositionSizeFraction 0.2: 0.4 BTC
    [InlineData(-0.2, 0)] // no edge: size 0, nothing to buy
    public void Kelly_sizes_the_position_within_the_position_size_fraction(double fullKelly, double expectedQuantity)
    {
        var signal = new CombinedSignal("BTCUSDT", 1, SignalDirection.Long, 1.0, [new("a", SignalDirection.Long, 1, 1, FullKelly: fullKelly)],
            50_000m, Start, Start, FullKelly: fullKelly);

        var decision = RiskEngine.Decide(signal, TestInputs.Holding(new SymbolExposure("BTCUSDT", 0m, 100_000m, 0m), Limits, Lot, TradingState.Active, Start));

        Assert.Equal((decimal)expectedQuantity, decision.Intent?.Quantity ?? 0m);
        Assert.Contains($"Kelly: 0.5 × f* {fullKelly}", decision.Explanation);
    }

    [Fact]
    public void Without_a_record_or_with_kelly_off_the_fixed_fraction_applies()
    {
        var signal = new CombinedSignal("BTCUSDT", 1, SignalDirection.Long, 1.0, [], 50_000m, Start, Start);
        var exposure = new SymbolExposure("BTCUSDT", 0m, 100_000m, 0m);

        Assert.Equal(0.4m, RiskEngine.Decide(signal, TestInputs.Holding(exposure, Limits, Lot, TradingState.Active, Start)).Intent!.Quantity);
        Assert.Equal(0.4m, RiskEngine.Decide(signal with { FullKelly = 0.1 }, TestInputs.Holding(exposure, Limits with { KellyFraction = 0 }, Lot, TradingState.Active, Start)).Intent!.Quantity);
    }
}
