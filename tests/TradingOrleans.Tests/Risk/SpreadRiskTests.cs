using System.Globalization;
using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>A pair's spread target sized as one unit: both legs in the hedge ratio, checked after both legs, refused whole.</summary>
public sealed class SpreadRiskTests
{
    private const decimal PriceA = 1_000m;
    private const decimal PriceB = 40_000m;

    // Per-bar return deviations 0.4 % (A) and 0.3 % (B), correlation 0.8; 5-minute bars, so 288 in the 1-day horizon.
    private const double VarianceA = 0.004 * 0.004;
    private const double VarianceB = 0.003 * 0.003;
    private const double Covariance = 0.8 * 0.004 * 0.003;

    private static readonly DateTimeOffset Now = new(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static readonly RiskLimits Wide = new() { MaxOrderNotional = 50_000m, MaxValueAtRiskFraction = 0.05m };

    private static SpreadTarget Target(SignalDirection position, double beta) =>
        new("pair-test", "ETHUSDT", "BTCUSDT", position, beta, PriceA, PriceB, 7, "z −2.4", Now, Now);

    /// <summary>A flat account of 100,000 with a trusted return history of both legs.</summary>
    private static SpreadRiskInputs Inputs(RiskLimits limits, TradingState state = TradingState.Active, decimal heldA = 0, decimal heldB = 0)
    {
        var viewA = new PortfolioRiskView(new SymbolExposure("ETHUSDT", heldA, 100_000m, 0m), ["BTCUSDT", "ETHUSDT"], [heldB, heldA], [PriceB, PriceA],
            [Covariance, VarianceA], 100, TimeSpan.FromMinutes(5), [VarianceB, VarianceA], 0);
        var viewB = new PortfolioRiskView(new SymbolExposure("BTCUSDT", heldB, 100_000m, 0m), ["ETHUSDT", "BTCUSDT"], [heldA, heldB], [PriceA, PriceB],
            [Covariance, VarianceB], 100, TimeSpan.FromMinutes(5), [VarianceA, VarianceB], 0);
        return new SpreadRiskInputs(viewA, viewB, limits, TestInputs.Model, new InstrumentRules("ETHUSDT", 0.001m), new InstrumentRules("BTCUSDT", 0.0001m),
            state, 0, 0, Now, heldA, heldB);
    }

    [Fact]
    public void A_long_spread_holds_notional_N_in_A_and_minus_beta_N_in_B_in_whole_lots()
    {
        // 20 % of 100,000 over |N| + |1.25 N|: N = 8,888.89; A 8.888 (lot 0.001); B −1.25 × 8.888 × 1,000 / 40,000 = −0.27775 → −0.2777.
        var decision = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), Inputs(Wide));

        Assert.True(decision.Approved, decision.Explanation);
        Assert.Equal((8.888m, -0.2777m), (decision.QuantityA, decision.QuantityB));
        Assert.Equal(
            [("ETHUSDT", OrderSide.Buy, 8.888m, "pair-test-" + Now.ToUnixTimeMilliseconds() + "-7-ETHUSDT"), ("BTCUSDT", OrderSide.Sell, 0.2777m, "pair-test-" + Now.ToUnixTimeMilliseconds() + "-7-BTCUSDT")],
            decision.Legs.Select(l => (l.Symbol, l.Side, l.Quantity, l.IntentId)));

        // VaR after both legs, as the closed form gives it for the two trades: z(99 %) × √(d'Σd × 288).
        var (tradeA, tradeB) = ((double)(8.888m * PriceA), (double)(-0.2777m * PriceB));
        var variance = tradeA * tradeA * VarianceA + tradeB * tradeB * VarianceB + 2 * tradeA * tradeB * Covariance;
        var valueAtRisk = Normal.InvCDF(0, 1, 0.99) * Math.Sqrt(variance * 288);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"after both legs {valueAtRisk:0.##} (limit 5000)"), decision.Explanation);
    }

    /// <summary>The inputs against a spot account whose free balances are the ones given (taker fee 0.1 %).</summary>
    private static SpreadRiskInputs WithAccount(SpreadRiskInputs inputs, decimal freeUsdt, decimal freeEth, decimal freeBtc) => inputs with
    {
        ViewA = inputs.ViewA with { Available = new AvailableBalance("USDT", freeUsdt, "ETH", freeEth, 0.001m, Now) },
        ViewB = inputs.ViewB with { Available = new AvailableBalance("USDT", freeUsdt, "BTC", freeBtc, 0.001m, Now) },
    };

    [Fact]
    public void Against_a_spot_account_a_basket_the_free_balances_cannot_pay_is_refused_whole()
    {
        // Long: buy 8.888 ETH (8,888 USDT, 8,896.888 with the fee), sell 0.2777 BTC (short selling allowed here).
        var flat = Inputs(Wide);
        var payable = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), WithAccount(flat, freeUsdt: 9_000m, freeEth: 0m, freeBtc: 0.3m));
        Assert.True(payable.Approved, payable.Explanation);

        // 1,000 of the 9,000 USDT already committed to an open buy.
        var shortOfQuote = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25),
            WithAccount(flat, freeUsdt: 9_000m, freeEth: 0m, freeBtc: 0.3m) with { CommittedA = new OpenCommitments(1_000m, 0m), CommittedB = new OpenCommitments(1_000m, 0m) });
        Assert.Equal(RiskRejectionReason.InsufficientBalance, shortOfQuote.Rejection);
        Assert.Empty(shortOfQuote.Legs);
        Assert.EndsWith("the basket's buys of 8888 USDT with the 0.001 fee need 8896.888; free 9000 less 1000 committed to open buys leaves 8000",
            shortOfQuote.Explanation);

        // The BTC leg's sell: 0.3 free, 0.1 of it committed to an open sell.
        var shortOfBase = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25),
            WithAccount(flat, freeUsdt: 9_000m, freeEth: 0m, freeBtc: 0.3m) with { CommittedB = new OpenCommitments(0m, 0.1m) });
        Assert.Equal(RiskRejectionReason.InsufficientBalance, shortOfBase.Rejection);
        Assert.Empty(shortOfBase.Legs);
        Assert.EndsWith("a sell of 0.2777 BTC needs them free; free 0.3 less 0.1 committed to open sells leaves 0.2", shortOfBase.Explanation);
    }

    [Fact]
    public void A_negative_hedge_ratio_puts_both_legs_on_the_same_side()
    {
        // β = −1.2: N = 20,000 / 2.2 = 9,090.91; A 9.090; B +1.2 × 9.090 × 1,000 / 40,000 = 0.2727.
        var decision = SpreadRisk.Decide(Target(SignalDirection.Short, -1.2), Inputs(Wide));

        Assert.True(decision.Approved, decision.Explanation);
        Assert.Equal((-9.090m, -0.2727m), (decision.QuantityA, decision.QuantityB));
        Assert.All(decision.Legs, l => Assert.Equal(OrderSide.Sell, l.Side));
    }

    [Fact]
    public void The_order_limit_scales_both_legs_together_and_keeps_the_ratio()
    {
        // B's leg (11,111) is the larger: at a 5,000 order limit both legs are cut to 45 % (N 4,000), and the target is owed.
        var decision = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), Inputs(Wide with { MaxOrderNotional = 5_000m }));

        Assert.True(decision.Approved, decision.Explanation);
        Assert.False(decision.TargetReached);
        Assert.Equal((4.000m, -0.1250m), (decision.QuantityA, decision.QuantityB));
        Assert.Contains("both legs scaled to 45.0 % by the order limit 5000", decision.Explanation);
    }

    [Fact]
    public void A_basket_that_would_break_the_var_limit_is_refused_whole()
    {
        var decision = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), Inputs(Wide with { MaxValueAtRiskFraction = 0.005m }));

        Assert.Equal(RiskRejectionReason.ValueAtRiskLimit, decision.Rejection);
        Assert.Empty(decision.Legs);
        Assert.Equal((0m, 0m), (decision.QuantityA, decision.QuantityB));
        Assert.Contains("(limit 500, before 0): the basket is refused whole", decision.Explanation);
    }

    [Fact]
    public void A_basket_that_would_break_the_gross_exposure_limit_is_refused_whole_and_so_is_any_while_halted()
    {
        var gross = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), Inputs(Wide with { MaxGrossExposure = 15_000m }));
        var halted = SpreadRisk.Decide(Target(SignalDirection.Long, 1.25), Inputs(Wide, TradingState.Halted));

        Assert.Equal((RiskRejectionReason.GrossExposureLimit, 0), (gross.Rejection, gross.Legs.Count));
        Assert.Contains("gross exposure after both legs 19996 (limit 15000, before 0)", gross.Explanation);
        Assert.Equal((RiskRejectionReason.TradingHalted, 0), (halted.Rejection, halted.Legs.Count));
    }

    [Fact]
    public void A_re_estimated_hedge_ratio_rehedges_leg_B_and_a_rehedge_below_the_minimum_order_leaves_it_as_held()
    {
        // Held at β 1.25 (8.888 A, −0.2777 B); re-estimated at 1.30 the legs are resized as one: N = 20,000 / 2.3 = 8,695.65,
        // A 8.695, B −1.3 × 8.695 × 1,000 / 40,000 = −0.28259 → −0.2825.
        var rehedged = SpreadRisk.Decide(Target(SignalDirection.Long, 1.30), Inputs(Wide, heldA: 8.888m, heldB: -0.2777m));
        Assert.True(rehedged.Approved, rehedged.Explanation);
        Assert.Equal((8.695m, -0.2825m), (rehedged.QuantityA, rehedged.QuantityB));
        Assert.Equal([(OrderSide.Sell, 0.193m), (OrderSide.Sell, 0.0048m)], rehedged.Legs.Select(l => (l.Side, l.Quantity)));

        // β 1.2505: A's order 0.002 (2.00) and B's are below the 10 minimum order: both legs stay, nothing to trade.
        var small = SpreadRisk.Decide(Target(SignalDirection.Long, 1.2505), Inputs(Wide, heldA: 8.888m, heldB: -0.2777m));
        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, small.Rejection);
        Assert.Equal((8.888m, -0.2777m), (small.QuantityA, small.QuantityB));
    }
}
