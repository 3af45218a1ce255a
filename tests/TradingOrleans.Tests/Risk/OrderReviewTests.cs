using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>An order asked for as it is (a rebalance, a manual order) through the same rules as a signal's, by hand.</summary>
public sealed class OrderReviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly RiskLimits Limits = TestLimits.Off with
    {
        MaxPositionNotional = 25_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 10m,
    };

    private static OrderIntent Order(OrderSide side, decimal quantity, decimal price = 30_000m) =>
        new("BTCUSDT-manual-1", "BTCUSDT", side, quantity, price, "manual", Now, Now);

    private static RiskDecision Review(OrderIntent order, decimal holding, RiskLimits? limits = null, TradingState state = TradingState.Active) =>
        RiskEngine.Review(order, TestInputs.Holding(new SymbolExposure("BTCUSDT", holding, 100_000m, 0m), limits ?? Limits, new InstrumentRules("BTCUSDT", 0.00001m), state, Now));

    [Fact]
    public void An_order_within_the_limits_passes_as_asked_in_whole_lots()
    {
        var decision = Review(Order(OrderSide.Buy, 0.5m), holding: 0m);

        Assert.Equal((OrderSide.Buy, 0.5m, "manual"), (decision.Intent!.Side, decision.Intent.Quantity, decision.Intent.Reason));
        Assert.Equal("manual: Buy 0.50000 of 0.5 asked (order limit 1000000, position limit 25000, holding 0)", decision.Explanation);
        Assert.True(decision.TargetReached);
    }

    [Fact]
    public void The_order_limit_cuts_an_order_to_what_it_allows()
    {
        // 10,000 / 30,000 = 0.333333… → 0.33333 BTC of the 1 asked.
        var decision = Review(Order(OrderSide.Buy, 1m), holding: 0m, Limits with { MaxOrderNotional = 10_000m });

        Assert.Equal(0.33333m, decision.Intent!.Quantity);
        Assert.Equal("manual: Buy 0.33333 of 1 asked (order limit 10000, position limit 25000, holding 0)", decision.Explanation);
    }

    [Fact]
    public void The_position_limit_leaves_room_for_what_the_position_can_still_take()
    {
        // 25,000 / 30,000 = 0.833333… BTC allowed, 0.7 held: room for 0.133333… → 0.13333.
        Assert.Equal(0.13333m, Review(Order(OrderSide.Buy, 0.5m), holding: 0.7m).Intent!.Quantity);

        // Holding 1 BTC = 30,000, over the limit already: a buy has no room, a sell passes whole.
        var buy = Review(Order(OrderSide.Buy, 0.1m), holding: 1m);
        Assert.Equal(RiskRejectionReason.PositionLimitReached, buy.Rejection);
        Assert.Equal("manual: Buy 0 of 0.1 asked (order limit 1000000, position limit 25000, holding 1); 0 × 30000 is below the minimum order 10", buy.Explanation);
        var sell = Review(Order(OrderSide.Sell, 0.5m), holding: 1m).Intent!;
        Assert.Equal((OrderSide.Sell, 0.5m), (sell.Side, sell.Quantity));
    }

    [Fact]
    public void An_order_never_grows_past_what_was_asked()
    {
        // Short 1 BTC (−30,000, over the limit): the position limit would take it to −25,000 by buying 0.1667, but 0.1 was asked.
        Assert.Equal(0.1m, Review(Order(OrderSide.Buy, 0.1m), holding: -1m).Intent!.Quantity);
    }

    [Fact]
    public void An_order_asked_below_the_minimum_is_not_sent()
    {
        // 0.0002 × 30,000 = 6 < 10.
        var decision = Review(Order(OrderSide.Buy, 0.0002m), holding: 0m);

        Assert.Equal(RiskRejectionReason.BelowMinimumNotional, decision.Rejection);
        Assert.EndsWith("; 0.00020 × 30000 is below the minimum order 10", decision.Explanation);
    }

    [Fact]
    public void Reducing_only_trading_lets_an_order_shrink_a_position_but_not_grow_or_flip_it()
    {
        Assert.Equal(0.1m, Review(Order(OrderSide.Sell, 0.1m), holding: 0.4m, state: TradingState.Reducing).Intent!.Quantity);

        var grow = Review(Order(OrderSide.Buy, 0.1m), holding: 0.4m, state: TradingState.Reducing);
        var flip = Review(Order(OrderSide.Sell, 0.5m), holding: 0.4m, state: TradingState.Reducing);
        Assert.Equal((RiskRejectionReason.ReducingOnly, RiskRejectionReason.ReducingOnly), (grow.Rejection, flip.Rejection));
        Assert.EndsWith("holding 0.4); trading is reducing-only", grow.Explanation);
    }

    [Fact]
    public void A_halt_refuses_an_order_in_the_words_it_refuses_a_signal()
    {
        var signal = new CombinedSignal("BTCUSDT", 1, SignalDirection.Long, 1.0, [], 30_000m, Now, Now);
        var exposure = new SymbolExposure("BTCUSDT", 0m, 100_000m, 0m);

        var order = Review(Order(OrderSide.Buy, 0.1m), holding: 0m, state: TradingState.Halted);
        var signalled = RiskEngine.Decide(signal, TestInputs.Holding(exposure, Limits, new InstrumentRules("BTCUSDT", 0.00001m), TradingState.Halted, Now));

        Assert.Equal((RiskRejectionReason.TradingHalted, "Trading is halted: no order is sent until trading is resumed."), (order.Rejection, order.Explanation));
        Assert.Equal((order.Rejection, order.Explanation), (signalled.Rejection, signalled.Explanation));
    }

    [Fact]
    public void An_order_without_a_price_is_refused_with_its_reason()
    {
        var decision = Review(Order(OrderSide.Buy, 0.1m, price: 0m), holding: 0m);

        Assert.Equal((RiskRejectionReason.NoPriceAvailable, "No usable price for BTCUSDT (got 0)."), (decision.Rejection, decision.Explanation));
    }
}
