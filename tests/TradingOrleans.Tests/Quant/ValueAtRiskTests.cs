using MathNet.Numerics.LinearAlgebra;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Tests.Quant;

/// <summary>VaR and ES against closed forms (reference figures computed independently with Python's statistics.NormalDist).</summary>
public sealed class ValueAtRiskTests
{
    private static readonly Matrix<double> TwoAssetCovariance = Matrix<double>.Build.DenseOfArray(new[,]
    {
        // σ₁ = 2 %, σ₂ = 3 %, ρ = 0.5 → cov = 0.5 · 0.02 · 0.03 = 0.0003.
        { 0.0004, 0.0003 },
        { 0.0003, 0.0009 },
    });

    private static readonly double[] TwoPositions = [600_000, 400_000];

    [Fact]
    public void Parametric_single_asset_matches_the_normal_closed_form()
    {
        var estimate = ValueAtRisk.Parametric(Matrix<double>.Build.DenseOfArray(new[,] { { 0.0004 } }), Vector<double>.Build.Dense(1), [1_000_000], 0.99);

        // σ = 20,000; z₀.₉₉ = 2.3263478740; VaR = 46,526.957; ES = σ·φ(z)/0.01 = 53,304.284.
        Assert.Equal(46_526.957, estimate.ValueAtRisk, 2);
        Assert.Equal(53_304.284, estimate.ExpectedShortfall, 2);
    }

    [Fact]
    public void Parametric_two_assets_use_the_covariance_mean_and_horizon()
    {
        // wᵀΣw = 600k²·0.0004 + 400k²·0.0009 + 2·600k·400k·0.0003 = 432e6 → σ = 20,784.6097.
        var oneDay = ValueAtRisk.Parametric(TwoAssetCovariance, Vector<double>.Build.Dense(2), TwoPositions, 0.95);
        Assert.Equal(34_187.641, oneDay.ValueAtRisk, 2);
        Assert.Equal(42_872.681, oneDay.ExpectedShortfall, 2);

        // Mean returns 0.1 % and 0.05 % per day: μ = 600 + 200 = 800 per day; 10 days: z·σ·√10 − 8,000.
        var tenDays = ValueAtRisk.Parametric(TwoAssetCovariance, Vector<double>.Build.DenseOfArray([0.001, 0.0005]), TwoPositions, 0.95, horizon: 10);
        Assert.Equal(100_110.812, tenDays.ValueAtRisk, 2);
    }

    [Fact]
    public void Monte_carlo_converges_to_parametric_for_normal_returns()
    {
        var parametric = ValueAtRisk.Parametric(TwoAssetCovariance, Vector<double>.Build.Dense(2), TwoPositions, 0.99);
        var simulated = ValueAtRisk.MonteCarlo(TwoAssetCovariance, Vector<double>.Build.Dense(2), TwoPositions, 0.99, paths: 200_000, seed: 42);

        Assert.InRange(simulated.ValueAtRisk / parametric.ValueAtRisk, 0.98, 1.02);
        Assert.InRange(simulated.ExpectedShortfall / parametric.ExpectedShortfall, 0.97, 1.03);
    }

    [Fact]
    public void Monte_carlo_gives_what_applying_each_path_s_correlated_returns_to_the_positions_gives()
    {
        // Three assets with means and a 5-period horizon: each path correlated first (r = μh + √h·Lz, P&L = wᵀr), from
        // the same seeded draws, sorted, and the 99 % tail read off directly.
        var covariance = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0004, 0.0001, -0.00005 }, { 0.0001, 0.0009, 0.0002 }, { -0.00005, 0.0002, 0.0016 } });
        var means = Vector<double>.Build.DenseOfArray([0.001, -0.0005, 0.0002]);
        double[] positions = [500_000, -200_000, 300_000];
        const int Paths = 5_000, Horizon = 5;
        var factor = covariance.Cholesky().Factor;
        var random = new Random(11);
        var pnl = new double[Paths];
        for (var p = 0; p < Paths; p++)
        {
            var z = new double[3];
            StandardNormal.Fill(random, z);
            var returns = means * Horizon + factor * Vector<double>.Build.DenseOfArray(z) * Math.Sqrt(Horizon);
            pnl[p] = Enumerable.Range(0, 3).Sum(i => positions[i] * returns[i]);
        }

        Array.Sort(pnl);
        var tail = (int)Math.Ceiling(0.01 * Paths);

        var simulated = ValueAtRisk.MonteCarlo(covariance, means, positions, 0.99, Horizon, Paths, seed: 11);

        Assert.Equal(-pnl[tail - 1], simulated.ValueAtRisk, 6);
        Assert.Equal(-pnl.Take(tail).Average(), simulated.ExpectedShortfall, 6);
    }

    [Fact]
    public void The_standard_normal_draws_have_the_normal_s_moments_and_quantiles()
    {
        var random = new Random(3);
        var draws = new double[200_001]; // odd: the last pair's second value is dropped
        StandardNormal.Fill(random, draws);

        // Standard errors at n = 200,001: mean 0.0022, variance 0.0032; a quantile's share 0.0005 at 5 %.
        Assert.InRange(draws.Average(), -0.01, 0.01);
        Assert.InRange(draws.Select(x => x * x).Average() - Math.Pow(draws.Average(), 2), 0.985, 1.015);
        foreach (var (quantile, share) in new[] { (-1.6448536, 0.05), (0.0, 0.5), (2.3263479, 0.99) })
        {
            Assert.InRange(draws.Count(x => x < quantile) / (double)draws.Length, share - 0.003, share + 0.003);
        }
    }

    [Fact]
    public void Monte_carlo_is_reproducible_with_its_seed()
    {
        var a = ValueAtRisk.MonteCarlo(TwoAssetCovariance, Vector<double>.Build.Dense(2), TwoPositions, 0.99, paths: 10_000, seed: 7);
        var b = ValueAtRisk.MonteCarlo(TwoAssetCovariance, Vector<double>.Build.Dense(2), TwoPositions, 0.99, paths: 10_000, seed: 7);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Historical_takes_the_empirical_tail()
    {
        // Returns −5.0 %, −4.9 %, …, +4.9 % on 1,000,000: at 95 % the tail is the ⌈0.05·100⌉ = 5 worst scenarios,
        // the 5th worst is −4.6 % (VaR 46,000) and their mean is −4.8 % (ES 48,000).
        var scenarios = Enumerable.Range(0, 100).Select(k => new[] { (k - 50) / 1000.0 }).ToList();

        var estimate = ValueAtRisk.Historical(scenarios, [1_000_000], 0.95);

        Assert.Equal(46_000, estimate.ValueAtRisk, 6);
        Assert.Equal(48_000, estimate.ExpectedShortfall, 6);
    }

    [Fact]
    public void Confidence_must_be_a_tail_probability()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueAtRisk.Historical([[0.01]], [1], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueAtRisk.Historical([[0.01]], [1], 0.3));
    }
}
