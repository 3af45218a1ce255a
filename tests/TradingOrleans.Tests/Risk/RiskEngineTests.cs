using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Risk.Rules;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Risk;

public sealed class RiskEngineTests
{
    private static readonly DateTimeOffset BarClose = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly RiskLimits Generous = TestLimits.Off with
    {
        MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m,
        MinOrderNotional = 10m, AllowShortSelling = true,
    };

    private static CombinedSignal Target(double exposure, decimal price = 50_000m) =>
        new("BTCUSDT", 7, exposure switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat },
            exposure, [new SignalContribution("sma", SignalDirection.Long, 1, 1)], price, BarClose, Now.AddTicks(-2_000));

    private static SymbolExposure Holding(decimal quantity, decimal equity = 100_000m) => new("BTCUSDT", quantity, equity, 0m);

    private static RiskDecision Decide(
        CombinedSignal signal, SymbolExposure exposure, RiskLimits? limits = null, TradingState state = TradingState.Active, decimal lot = 0.00001m) =>
        RiskEngine.Decide(signal, TestInputs.Holding(exposure, limits ?? Generous, new InstrumentRules(signal.Symbol, lot), state, Now));

    [Fact]
    public void A_signal_older_than_the_age_limit_is_refused_with_its_age_and_the_limit_and_its_target_stands()
    {
        var signal = Target(1.0) with { IngestedAt = Now.AddSeconds(-31) };

        Assert.Null(StaleSignalRule.Check(signal, Now.AddSeconds(-1), TimeSpan.FromSeconds(30)));
        var denial = StaleSignalRule.Check(signal, Now, TimeSpan.FromSeconds(30))!.Value;
        var decision = RiskEngine.Refuse(signal, denial, Now);

        Assert.Equal((RiskRejectionReason.StaleSignal, false, null), (decision.Rejection, decision.TargetReached, decision.Intent));
        Assert.Equal("The signal is 31000 ms old, past the 30000 ms limit (Trading:Risk:MaxSignalAge): dropped; the next bar restates the target", decision.Explanation);
    }

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
    public void A_long_signal_on_negative_equity_never_opens_a_short()
    {
        // 1.0 × 0.2 × −5,000 / 50,000 would be −0.02 BTC: a long vote selling. Sized on no equity the target is 0,
        // so the 0.1 BTC held is sold off instead.
        var decision = Decide(Target(1.0), Holding(0.1m, equity: -5_000m));

        Assert.Equal((OrderSide.Sell, 0.1m), (decision.Intent!.Side, decision.Intent.Quantity));
        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, Decide(Target(1.0), Holding(0m, equity: -5_000m)).Rejection);
    }

    [Fact]
    public void An_order_limit_smaller_than_one_lot_is_not_reported_as_at_target()
    {
        // Target 0.4 BTC; the order limit of 40 buys 40 / 50,000 = 0.0008 BTC, which rounds down to 0 lots of 0.001.
        var decision = Decide(Target(1.0), Holding(0m), Generous with { MaxOrderNotional = 40m }, lot: 0.001m);

        Assert.Equal(RiskRejectionReason.BelowMinimumNotional, decision.Rejection);
        Assert.Contains("less than one lot of 0.001", decision.Explanation);
    }

    [Fact]
    public void Within_one_lot_of_the_target_is_at_target()
    {
        // Target 0.4 BTC; holding 0.3995 leaves 0.0005, under one lot of 0.001.
        var decision = Decide(Target(1.0), Holding(0.3995m), lot: 0.001m);

        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, decision.Rejection);
        Assert.Contains("holding 0.3995", decision.Explanation);
    }

    [Fact]
    public void The_explanation_names_the_sizing_numbers()
    {
        // 0.5 × 20 % × 100,000 / 50,000 = 0.2 BTC.
        var decision = Decide(Target(0.5), Holding(0m));

        Assert.Equal(0.2m, decision.Intent!.Quantity);
        Assert.Contains("target 0.5 × 20 % of equity 100000 / 50000 = 0.2", decision.Explanation);
        Assert.Contains(decision.Explanation, decision.Intent.Reason);
        // A fraction that is not a whole percent is shown as it is: 1.0 × 12.5 % × 100,000 / 50,000 = 0.25.
        Assert.Contains("× 12.5 % of equity", Decide(Target(1.0), Holding(0m), Generous with { PositionSizeFraction = 0.125m }).Explanation);
    }

    [Fact]
    public void Scaling_to_both_limits_is_explained_with_the_numbers()
    {
        // Target 0.4 BTC = 20,000 > position limit 15,000 → 0.3 BTC; holding 0.1 → buy 0.2 = 10,000 > order limit 6,000
        // → 6,000 / 50,000 = 0.12 BTC, and more must follow.
        var decision = Decide(Target(1.0), Holding(0.1m), Generous with { MaxPositionNotional = 15_000m, MaxOrderNotional = 6_000m });

        Assert.Equal((OrderSide.Buy, 0.12m), (decision.Intent!.Side, decision.Intent.Quantity));
        Assert.False(decision.TargetReached);
        Assert.Contains("scaled to position limit 15000: 0.3", decision.Explanation);
        Assert.Contains("order scaled to order limit 6000", decision.Explanation);
    }

    [Fact]
    public void Over_the_position_limit_a_signal_in_the_same_direction_sells_back_to_the_limit()
    {
        // The limit was lowered to 20,000 = 0.4 BTC while 0.5 BTC is held: the long signal sells the 0.1 over it.
        var decision = Decide(Target(1.0), Holding(0.5m), Generous with { MaxPositionNotional = 20_000m, PositionSizeFraction = 1m });

        Assert.Equal((OrderSide.Sell, 0.1m), (decision.Intent!.Side, decision.Intent.Quantity));
    }

    [Fact]
    public void A_short_target_at_the_short_position_limit_is_rejected_with_its_reason()
    {
        // Target −1.0 × 100 % × 100,000 / 50,000 = −2 BTC, clipped to −25,000 / 50,000 = −0.5, already held.
        var decision = Decide(Target(-1.0), Holding(-0.5m), Generous with { MaxPositionNotional = 25_000m, PositionSizeFraction = 1m });

        Assert.Equal(RiskRejectionReason.PositionLimitReached, decision.Rejection);
        Assert.Contains("position limit 25000", decision.Explanation);
    }

    [Fact]
    public void A_halt_rejection_does_not_guess_who_halted()
    {
        var decision = Decide(Target(1.0), Holding(0m), state: TradingState.Halted);

        Assert.DoesNotContain("kill switch)", decision.Explanation);
        Assert.Contains("halted", decision.Explanation);
    }

    [Fact]
    public void A_missing_price_is_rejected()
    {
        Assert.Equal(RiskRejectionReason.NoPriceAvailable, Decide(Target(1.0, price: 0m), Holding(0m)).Rejection);
    }
}
