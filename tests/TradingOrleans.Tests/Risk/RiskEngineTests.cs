using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Risk;

public sealed class RiskEngineTests
{
    private static readonly DateTimeOffset BarClose = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly RiskLimits Generous = new(
        MaxPositionNotional: 1_000_000m, MaxOrderNotional: 1_000_000m, PositionSizeFraction: 0.2m,
        MinOrderNotional: 10m, QuantityStep: 0.00001m, AllowShortSelling: true);

    private static CombinedSignal Target(double exposure, decimal price = 50_000m) =>
        new("BTCUSDT", 7, exposure switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat },
            exposure, [new SignalContribution("sma", SignalDirection.Long, 1, 1)], price, BarClose, Now.AddTicks(-2_000));

    private static SymbolExposure Holding(decimal quantity, decimal equity = 100_000m) => new("BTCUSDT", quantity, equity, 0m);

    private static RiskDecision Decide(CombinedSignal signal, SymbolExposure exposure, RiskLimits? limits = null, TradingState state = TradingState.Active) =>
        RiskEngine.Decide(signal, exposure, limits ?? Generous, state, Now);

    [Fact]
    public void Full_long_target_buys_a_fraction_of_equity()
    {
        // 1.0 × 20% × 100,000 / 50,000 = 0.4 BTC.
        var decision = Decide(Target(1.0), Holding(0m));

        var intent = decision.Intent!;
        Assert.Equal((OrderSide.Buy, 0.4m, 50_000m), (intent.Side, intent.Quantity, intent.ReferencePrice));
        Assert.Equal("BTCUSDT-1609459500000-7", intent.IntentId);
        Assert.Equal((BarClose, Now.AddTicks(-2_000)), (intent.MarketTime, intent.TickIngestedAt));
        Assert.True(decision.TargetReached);
    }

    [Fact]
    public void The_order_is_the_difference_from_the_current_position()
    {
        // Target −0.5 × 0.2 × 100,000 / 50,000 = −0.2 BTC; holding 0.3 → sell 0.5.
        var intent = Decide(Target(-0.5), Holding(0.3m)).Intent!;

        Assert.Equal((OrderSide.Sell, 0.5m), (intent.Side, intent.Quantity));
    }

    [Fact]
    public void Quantities_are_rounded_down_to_the_lot_size()
    {
        // 0.5 × 0.2 × 100,000 / 30,000 = 0.333333… → 0.33333.
        Assert.Equal(0.33333m, Decide(Target(0.5, price: 30_000m), Holding(0m)).Intent!.Quantity);
    }

    [Fact]
    public void Orders_above_the_order_limit_are_scaled_and_flag_the_target_as_not_reached()
    {
        var decision = Decide(Target(1.0), Holding(0m), Generous with { MaxOrderNotional = 10_000m });

        // 10,000 / 50,000 = 0.2 BTC of the 0.4 wanted.
        Assert.Equal(0.2m, decision.Intent!.Quantity);
        Assert.False(decision.TargetReached);
        Assert.Contains("order limit 10000", decision.Explanation);
    }

    [Fact]
    public void Targets_above_the_position_limit_are_scaled_to_it()
    {
        // 15,000 / 50,000 = 0.3 BTC instead of 0.4.
        var decision = Decide(Target(1.0), Holding(0m), Generous with { MaxPositionNotional = 15_000m });

        Assert.Equal(0.3m, decision.Intent!.Quantity);
        Assert.Contains("position limit 15000", decision.Explanation);
    }

    [Fact]
    public void At_the_position_limit_more_of_the_same_is_rejected_with_its_reason()
    {
        var decision = Decide(Target(1.0), Holding(0.5m), Generous with { MaxPositionNotional = 25_000m, PositionSizeFraction = 1m });

        Assert.Null(decision.Intent);
        Assert.Equal(RiskRejectionReason.PositionLimitReached, decision.Rejection);
    }

    [Fact]
    public void Halted_trading_rejects_everything()
    {
        var decision = Decide(Target(1.0), Holding(0m), state: TradingState.Halted);

        Assert.Equal(RiskRejectionReason.TradingHalted, decision.Rejection);
        Assert.False(decision.Approved);
    }

    [Fact]
    public void Orders_below_the_minimum_notional_are_not_sent()
    {
        // Target 0.4, holding 0.3999 → 0.0001 × 50,000 = 5 < 10.
        var decision = Decide(Target(1.0), Holding(0.3999m));

        Assert.Equal(RiskRejectionReason.BelowMinimumNotional, decision.Rejection);
        Assert.Contains("below the minimum 10", decision.Explanation);
    }

    [Fact]
    public void At_target_nothing_is_traded()
    {
        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, Decide(Target(1.0), Holding(0.4m)).Rejection);
    }

    [Fact]
    public void Without_short_selling_a_short_target_only_flattens()
    {
        var noShorts = Generous with { AllowShortSelling = false };

        var flatten = Decide(Target(-1.0), Holding(0.25m), noShorts).Intent!;
        var blocked = Decide(Target(-1.0), Holding(0m), noShorts);

        Assert.Equal((OrderSide.Sell, 0.25m), (flatten.Side, flatten.Quantity));
        Assert.Equal(RiskRejectionReason.ShortSellingDisabled, blocked.Rejection);
    }

    [Fact]
    public void Reducing_only_trading_lets_a_position_shrink_but_not_grow_or_flip()
    {
        // Holding 0.4 BTC: a flat target sells 0.4 (allowed); a long target of 0.6 would buy (refused);
        // a short target of −0.2 would sell 0.6 and flip the position (refused).
        var limits = Generous with { PositionSizeFraction = 0.3m };

        Assert.Equal(0.4m, Decide(Target(0.0), Holding(0.4m), limits, TradingState.Reducing).Intent!.Quantity);
        Assert.Equal(RiskRejectionReason.ReducingOnly, Decide(Target(1.0), Holding(0.4m), limits, TradingState.Reducing).Rejection);
        Assert.Equal(RiskRejectionReason.ReducingOnly, Decide(Target(-0.3333), Holding(0.4m), limits, TradingState.Reducing).Rejection);
        Assert.Equal(RiskRejectionReason.ReducingOnly, Decide(Target(0.5), Holding(0m), limits, TradingState.Reducing).Rejection);
    }

    [Fact]
    public void A_missing_price_is_rejected()
    {
        Assert.Equal(RiskRejectionReason.NoPriceAvailable, Decide(Target(1.0, price: 0m), Holding(0m)).Rejection);
    }
}
