using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>The open-order and order-rate rules, fed by the approvals the RiskGrain keeps in an <see cref="OrderThrottle"/>.</summary>
public sealed class ThrottleRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly InstrumentRules Lot = new("BTCUSDT", 0.00001m);
    private static readonly SymbolExposure Flat = new("BTCUSDT", 0m, 100_000m, 0m);

    private static readonly RiskLimits Limits = TestLimits.Off with
    {
        MaxPositionNotional = 25_000m, MaxOrderNotional = 10_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 10m, MaxOpenOrders = 3, MaxOrdersPerMinute = 5,
    };

    private static readonly CombinedSignal Long =
        new("BTCUSDT", 4, SignalDirection.Long, 1.0, [new SignalContribution("sma", SignalDirection.Long, 1, 1)], 50_000m, Now, Now);

    private static readonly OrderIntent Rebalance = new("BTCUSDT-rebalance-1", "BTCUSDT", OrderSide.Buy, 0.1m, 50_000m, "rebalance", Now, Now);

    private static RiskInputs With(int openOrders, int approvalsLastMinute) =>
        TestInputs.Holding(Flat, Limits, Lot, TradingState.Active, Now, openOrders, approvalsLastMinute);

    [Fact]
    public void At_the_open_order_limit_signals_and_orders_wait()
    {
        // 20 % of 100,000 = 20,000 wanted, cut to the order limit: 10,000 / 50,000 = 0.2 BTC; 3 orders open of 3 allowed.
        var signalled = RiskEngine.Decide(Long, With(openOrders: 3, approvalsLastMinute: 0));
        var asked = RiskEngine.Review(Rebalance, With(openOrders: 3, approvalsLastMinute: 0));

        Assert.Equal(RiskRejectionReason.OpenOrderLimit, signalled.Rejection);
        Assert.Equal("target 1 × 20 % of equity 100000 / 50000 = 0.4; order scaled to order limit 10000; 3 orders are still open, the limit is 3", signalled.Explanation);
        Assert.Equal(RiskRejectionReason.OpenOrderLimit, asked.Rejection);
        Assert.EndsWith("holding 0); 3 orders are still open, the limit is 3", asked.Explanation);
        Assert.True(RiskEngine.Decide(Long, With(openOrders: 2, approvalsLastMinute: 0)).Approved);
    }

    [Fact]
    public void At_the_order_rate_limit_signals_and_orders_wait()
    {
        var signalled = RiskEngine.Decide(Long, With(openOrders: 0, approvalsLastMinute: 5));
        var asked = RiskEngine.Review(Rebalance, With(openOrders: 0, approvalsLastMinute: 5));

        Assert.Equal((RiskRejectionReason.OrderRateLimit, RiskRejectionReason.OrderRateLimit), (signalled.Rejection, asked.Rejection));
        Assert.EndsWith("; 5 orders in the last minute reach the limit of 5", signalled.Explanation);
        Assert.True(RiskEngine.Review(Rebalance, With(openOrders: 0, approvalsLastMinute: 4)).Approved);
    }

    [Fact]
    public void A_throttled_signal_short_of_its_target_is_restated_later()
    {
        // The order was cut to the order limit before the throttle refused it: the target is not reached.
        Assert.False(RiskEngine.Decide(Long, With(openOrders: 3, approvalsLastMinute: 0)).TargetReached);
        Assert.True(RiskEngine.Decide(Long with { TargetExposure = 0.1 }, With(openOrders: 3, approvalsLastMinute: 0)).TargetReached);
    }

    [Fact]
    public void The_first_rule_to_deny_binds()
    {
        // Halted and throttled both: the trading state comes first.
        var decision = RiskEngine.Decide(Long, TestInputs.Holding(Flat, Limits, Lot, TradingState.Halted, Now, openOrders: 3, approvalsLastMinute: 5));

        Assert.Equal(RiskRejectionReason.TradingHalted, decision.Rejection);
    }

    [Fact]
    public void The_throttle_counts_approvals_for_a_minute_and_open_orders_until_they_close()
    {
        var throttle = new OrderThrottle();
        throttle.Approved(Rebalance, Now);
        throttle.Approved(Rebalance with { IntentId = "ETHUSDT-1", Symbol = "ETHUSDT", Side = OrderSide.Sell, Quantity = 2m, ReferencePrice = 3_000m }, Now.AddSeconds(30));
        throttle.Approved(Rebalance with { IntentId = "BTCUSDT-2", Quantity = 0.3m, ReferencePrice = 51_000m }, Now.AddSeconds(45));

        // At +60 s the first approval is a minute old and no longer counts; all three are open until closed.
        Assert.Equal((2, 3), (throttle.ApprovalsWithinAMinute(Now.AddSeconds(60)), throttle.OpenOrders));
        // Open orders are valued at the newest one's reference price where the portfolio has no mark.
        Assert.Equal(new Dictionary<string, PendingQuantity> { ["BTCUSDT"] = new(0.4m, 51_000m), ["ETHUSDT"] = new(-2m, 3_000m) }, throttle.PendingQuantities());

        throttle.Closed("BTCUSDT-rebalance-1");
        Assert.Equal(0.3m, throttle.PendingQuantities()["BTCUSDT"].Quantity);
        Assert.Equal(2, throttle.OpenOrders);

        // An approval after a close (it may take the closed one's place in the throttle's table) is still the newest.
        throttle.Approved(Rebalance with { IntentId = "BTCUSDT-3", Quantity = 0.2m, ReferencePrice = 52_000m }, Now.AddSeconds(50));
        Assert.Equal(new PendingQuantity(0.5m, 52_000m), throttle.PendingQuantities()["BTCUSDT"]);
        Assert.Equal(new PendingQuantity(0.3m, 51_000m), throttle.PendingQuantities(except: "BTCUSDT-3")["BTCUSDT"]);
    }
}
