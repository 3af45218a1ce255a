using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Tests.Risk;

/// <summary>Gross, net, correlated-group and VaR rules on a sized order, with the numbers worked out by hand.</summary>
public sealed class PortfolioRulesTests
{
    private static readonly DateTimeOffset Now = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RiskLimits Unlimited = TestLimits.Off with
    {
        MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 1m, MinOrderNotional = 10m, AllowShortSelling = true,
    };
    private static readonly InstrumentRules Lot = new("BTCUSDT", 0.00001m);
    private static readonly RiskOptions Options = new() { MinimumReturnObservations = 50, CorrelationThreshold = 0.8, ValueAtRiskConfidence = 0.99, ValueAtRiskHorizon = TimeSpan.FromDays(1) };

    /// <summary>The checked order: its (possibly scaled) quantity with the limits' notes, or the binding limit and why.</summary>
    private sealed record Outcome(decimal Quantity, IReadOnlyList<string> Notes, RiskRejectionReason Rejection, string? RejectionNote);

    /// <summary>The order sized to whole lots, then the portfolio rules in the engine's order.</summary>
    private static Outcome Check(OrderIntent intent, PortfolioRiskView view, RiskLimits limits)
    {
        var order = RiskCheck.ForOrder(intent, new RiskInputs(view, limits, Options, Lot, TradingState.Active, 0, 0, Now));
        IRiskRule[] rules =
        [
            new PositionLimitRule(), new OrderNotionalRule(), new LotSizeRule(),
            new GrossExposureRule(), new NetExposureRule(), new ReturnHistoryRule(), new CorrelatedExposureRule(), new ValueAtRiskRule(), new ScaledRemainderRule(),
        ];
        var denial = rules.Select(rule => rule.Check(order)).FirstOrDefault(d => d is not null);
        return new Outcome(denial is null ? order.FinalQuantity : 0, order.PortfolioNotes, denial?.Reason ?? RiskRejectionReason.None, denial?.Explanation);
    }

    private static OrderIntent Buy(string symbol, decimal quantity, decimal price) =>
        new($"{symbol}-1", symbol, OrderSide.Buy, quantity, price, "test", Now, Now);

    /// <summary>ETH held (or not) at 2,000 and BTC traded at 40,000, per-bar volatilities 1 % with correlation ρ.</summary>
    private static PortfolioRiskView View(decimal ethQuantity, double correlation = 0, int observations = 100)
    {
        var (varianceEth, varianceBtc, covariance) = (1e-4, 1e-4, correlation * 1e-4);
        var ethValue = (double)(ethQuantity * 2_000m);
        return new PortfolioRiskView(
            new SymbolExposure("BTCUSDT", 0, 100_000m, Math.Abs(ethQuantity * 2_000m)),
            ["ETHUSDT", "BTCUSDT"], [ethQuantity, 0m], [2_000m, 40_000m],
            [covariance, varianceBtc], observations, TimeSpan.FromMinutes(5), [varianceEth, varianceBtc], ethValue * ethValue * varianceEth);
    }

    [Fact]
    public void Gross_limit_scales_the_order_to_what_fits()
    {
        // Gross 20,000 (ETH) + 0.5 BTC × 40,000 = 40,000 against a limit of 30,000: half the order fits.
        var outcome = Check(Buy("BTCUSDT", 0.5m, 40_000m), View(10m), Unlimited with { MaxGrossExposure = 30_000m });

        Assert.Equal(0.25m, outcome.Quantity);
        Assert.Equal(RiskRejectionReason.None, outcome.Rejection);
        Assert.Contains("gross exposure after the order 30000 (limit 30000): order scaled to 50.0 %", outcome.Notes);
    }

    [Fact]
    public void Net_limit_lets_a_trade_through_that_leaves_the_portfolio_no_worse()
    {
        // Short 10 ETH = −20,000 net; buying 1 BTC makes it +20,000: |net| unchanged, though above the 15,000 limit.
        var fits = Check(Buy("BTCUSDT", 1m, 40_000m), View(-10m), Unlimited with { MaxNetExposure = 15_000m });
        Assert.Equal(1m, fits.Quantity);

        // Buying 1.5 BTC would make it +40,000: scaled to 1 BTC, the most that keeps |net| at 20,000.
        var scaled = Check(Buy("BTCUSDT", 1.5m, 40_000m), View(-10m), Unlimited with { MaxNetExposure = 15_000m });
        Assert.Equal(1m, scaled.Quantity);
    }

    [Fact]
    public void Correlated_group_exposure_is_limited_only_for_highly_correlated_symbols()
    {
        var limits = Unlimited with { MaxCorrelatedExposure = 30_000m };

        // ρ = 0.9: ETH 20,000 + BTC 20,000 = 40,000 in one group against 30,000 → half of 0.5 BTC.
        var correlated = Check(Buy("BTCUSDT", 0.5m, 40_000m), View(10m, correlation: 0.9), limits);
        Assert.Equal(0.25m, correlated.Quantity);
        Assert.Contains(correlated.Notes, n => n.StartsWith("correlated exposure (ETHUSDT+BTCUSDT", StringComparison.Ordinal));

        // ρ = 0.5 is below the 0.8 threshold: BTC is its own group (20,000 ≤ 30,000).
        Assert.Equal(0.5m, Check(Buy("BTCUSDT", 0.5m, 40_000m), View(10m, correlation: 0.5), limits).Quantity);
    }

    [Fact]
    public void Value_at_risk_limit_scales_the_order_to_the_parametric_var_budget()
    {
        // BTC alone, σ = 1 % per 5-minute bar, 1 day = 288 bars: VaR₉₉ = 2.3263479 × 0.01 × √288 × value = 0.3947920 × value.
        // Budget 8 % of 100,000 = 8,000 → value ≤ 20,263.83 → 0.5065958 BTC, rounded down to 0.50659.
        var outcome = Check(Buy("BTCUSDT", 1m, 40_000m), View(0m), Unlimited with { MaxValueAtRiskFraction = 0.08m });

        Assert.Equal(0.50659m, outcome.Quantity);
    }

    [Fact]
    public void The_exported_var_is_the_parametric_var_of_the_positions()
    {
        // ETH 20,000 at σ = 1 % per bar: 200 per bar × √288 × 2.3263479 = 7,895.8 over a day at 99 %.
        Assert.Equal(2.3263478740 * 200 * Math.Sqrt(288), ValueAtRiskRule.Before(View(10m), Options), 6);
        Assert.Equal(0, ValueAtRiskRule.Before(View(10m, observations: 10), Options));
    }

    [Fact]
    public void Var_and_correlation_wait_for_enough_return_history()
    {
        var limits = Unlimited with { MaxValueAtRiskFraction = 0.001m, MaxCorrelatedExposure = 1_000m };

        var outcome = Check(Buy("BTCUSDT", 1m, 40_000m), View(10m, correlation: 0.9, observations: 49), limits);

        Assert.Equal(1m, outcome.Quantity);
        Assert.Contains("VaR and correlation not checked yet: 49 of 50 return bars", outcome.Notes);
    }

    [Fact]
    public void A_remainder_below_the_minimum_order_is_rejected_with_the_binding_limit()
    {
        // Gross already 20,000 of a 20,001 limit: 1 of quote value left, below the minimum order of 10.
        var outcome = Check(Buy("BTCUSDT", 0.5m, 40_000m), View(10m), Unlimited with { MaxGrossExposure = 20_001m });

        Assert.Equal(0m, outcome.Quantity);
        Assert.Equal(RiskRejectionReason.GrossExposureLimit, outcome.Rejection);
        Assert.Contains("below the minimum order 10", outcome.RejectionNote);
    }
}
