using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>
/// Against a spot account an order is payable from the free balances less what open orders committed: an order asked for
/// that is not is refused, a signal's is scaled to what is payable (refused below the minimum order).
/// </summary>
public sealed class AvailableBalanceRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly InstrumentRules Lot = new("BTCUSDT", 0.0001m, MinNotional: 5m);

    private static readonly RiskLimits Limits = TestLimits.Off with
    {
        MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 10m,
    };

    /// <summary>A long vote at full strength: 0.2 × equity 100,000 / 30,000 = 0.6667 BTC wanted.</summary>
    private static readonly CombinedSignal Long =
        new("BTCUSDT", 4, SignalDirection.Long, 1.0, [new SignalContribution("sma", SignalDirection.Long, 1, 1)], 30_000m, Now, Now);

    private static RiskInputs Inputs(decimal freeUsdt, decimal freeBtc, decimal held = 0m, OpenCommitments committed = default)
    {
        var inputs = TestInputs.Holding(new SymbolExposure("BTCUSDT", held, 100_000m, held * 30_000m), Limits, Lot, TradingState.Active, Now);
        var available = new AvailableBalance("USDT", freeUsdt, "BTC", freeBtc, 0.001m, Now);
        return inputs with { View = inputs.View with { Available = available }, Committed = committed };
    }

    private static OrderIntent Asked(OrderSide side, decimal quantity) => new("BTCUSDT-manual-1", "BTCUSDT", side, quantity, 30_000m, "manual", Now, Now);

    [Fact]
    public void A_buy_asked_for_beyond_the_free_quote_less_open_buys_is_refused_with_the_figures()
    {
        // 0.1 × 30,000 × 1.001 = 3,003 needed; 5,000 free less 4,000 committed to open buys leaves 1,000.
        var refused = RiskEngine.Review(Asked(OrderSide.Buy, 0.1m), Inputs(freeUsdt: 5_000m, freeBtc: 0m, committed: new OpenCommitments(4_000m, 0m)));

        Assert.Equal(RiskRejectionReason.InsufficientBalance, refused.Rejection);
        Assert.Null(refused.Intent);
        Assert.EndsWith("; a buy of 0.1 × 30000 with the 0.001 fee needs 3003 USDT; free 5000 less 4000 committed to open buys leaves 1000",
            refused.Explanation);
    }

    [Fact]
    public void A_buy_within_the_free_quote_fee_included_passes_unchanged()
    {
        var approved = RiskEngine.Review(Asked(OrderSide.Buy, 0.1m), Inputs(freeUsdt: 3_003m, freeBtc: 0m));

        Assert.Equal((true, 0.1m), (approved.Approved, approved.Intent!.Quantity));
    }

    [Fact]
    public void A_signals_buy_is_scaled_to_what_the_free_quote_pays_and_refused_when_that_is_below_the_minimum_order()
    {
        // 1,000 left / (30,000 × 1.001) = 0.0333 BTC (999 and a 0.999 fee) of the 0.6666 wanted.
        var scaled = RiskEngine.Decide(Long, Inputs(freeUsdt: 5_000m, freeBtc: 0m, committed: new OpenCommitments(4_000m, 0m)));
        // 5 left: 0.0001 BTC, worth 3, under the minimum order 10.
        var refused = RiskEngine.Decide(Long, Inputs(freeUsdt: 5_000m, freeBtc: 0m, committed: new OpenCommitments(4_995m, 0m)));

        Assert.True(scaled.Approved);
        Assert.Equal(0.0333m, scaled.Intent!.Quantity);
        Assert.Contains("free 5000 less 4000 committed to open buys leaves 1000: order scaled to 0.0333", scaled.Intent.Reason);
        Assert.Equal(RiskRejectionReason.InsufficientBalance, refused.Rejection);
        Assert.EndsWith("free 5000 less 4995 committed to open buys leaves 5: what is payable (0.0001) is below the minimum order", refused.Explanation);
    }

    [Fact]
    public void A_sell_beyond_the_free_base_less_open_sells_is_refused_even_when_the_portfolio_holds_it()
    {
        // The portfolio holds 0.5 and 0.5 are free, but an open sell committed 0.45 of them.
        var refused = RiskEngine.Review(Asked(OrderSide.Sell, 0.2m), Inputs(freeUsdt: 0m, freeBtc: 0.5m, held: 0.5m, committed: new OpenCommitments(0m, 0.45m)));

        Assert.Equal(RiskRejectionReason.InsufficientBalance, refused.Rejection);
        Assert.EndsWith("; a sell of 0.2 BTC needs them free; free 0.5 less 0.45 committed to open sells leaves 0.05", refused.Explanation);
    }

    [Fact]
    public void Before_the_account_is_read_nothing_can_be_bought_and_the_explanation_says_why()
    {
        var inputs = TestInputs.Holding(new SymbolExposure("BTCUSDT", 0m, 0m, 0m), Limits, Lot, TradingState.Active, Now);
        var unread = RiskEngine.Review(Asked(OrderSide.Buy, 0.01m),
            inputs with { View = inputs.View with { Available = new AvailableBalance("USDT", 0m, "BTC", 0m, 0m, null) } });

        Assert.Equal(RiskRejectionReason.InsufficientBalance, unread.Rejection);
        Assert.EndsWith("leaves 0 (the account has not been read yet)", unread.Explanation);
    }

    [Fact]
    public void Without_a_venue_account_the_rule_does_not_apply()
    {
        var paper = RiskEngine.Review(Asked(OrderSide.Buy, 0.1m),
            TestInputs.Holding(new SymbolExposure("BTCUSDT", 0m, 100_000m, 0m), Limits, Lot, TradingState.Active, Now));

        Assert.True(paper.Approved);
    }

    [Fact]
    public void Open_orders_commit_their_buys_value_over_every_symbol_and_their_sells_of_the_traded_symbol()
    {
        var throttle = new OrderThrottle();
        throttle.Approved(new OrderIntent("a", "BTCUSDT", OrderSide.Buy, 0.1m, 30_000m, "", Now, Now), Now);
        throttle.Approved(new OrderIntent("b", "ETHUSDT", OrderSide.Buy, 2m, 2_000m, "", Now, Now), Now);
        throttle.Approved(new OrderIntent("c", "BTCUSDT", OrderSide.Sell, 0.05m, 30_000m, "", Now, Now), Now);
        throttle.Approved(new OrderIntent("d", "ETHUSDT", OrderSide.Sell, 1m, 2_000m, "", Now, Now), Now);

        Assert.Equal(new OpenCommitments(7_000m, 0.05m), throttle.Commitments("BTCUSDT"));
        Assert.Equal(new OpenCommitments(4_000m, 0.05m), throttle.Commitments("BTCUSDT", except: "a")); // a signal judged again
        throttle.Closed("c");
        Assert.Equal(new OpenCommitments(7_000m, 0m), throttle.Commitments("BTCUSDT"));
    }
}
