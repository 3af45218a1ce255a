using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace TradingOrleans.Grains.Quant;

/// <summary>
/// Value at Risk and expected shortfall of a portfolio of positions (values in the quote currency) by three methods.
/// Returns are simple per-period returns; <c>horizon</c> is in periods. Losses are reported as positive numbers.
/// </summary>
public static class ValueAtRisk
{
    /// <summary>
    /// Historical simulation: each past period's returns applied to today's positions. VaR is the loss at the
    /// empirical (1 − confidence) quantile — the ⌈(1 − c)·T⌉-th worst scenario — and ES the mean of the losses
    /// at least that bad. A multi-period horizon is scaled by √horizon (square-root-of-time rule).
    /// </summary>
    public static RiskEstimate Historical(IReadOnlyList<double[]> returnScenarios, IReadOnlyList<double> positionValues, double confidence, int horizon = 1)
    {
        Check(confidence, horizon);
        var pnl = returnScenarios.Select(r => Dot(r, positionValues)).ToArray();
        return FromScenarios(pnl, confidence, Math.Sqrt(horizon));
    }

    /// <summary>
    /// Variance-covariance: portfolio P&amp;L is normal with mean wᵀμ·h and deviation √(wᵀΣw·h);
    /// VaR = z·σ − μ and ES = σ·φ(z)/(1 − c) − μ, with z the standard-normal quantile of the confidence.
    /// </summary>
    public static RiskEstimate Parametric(Matrix<double> covariance, Vector<double> meanReturns, IReadOnlyList<double> positionValues, double confidence, int horizon = 1)
    {
        Check(confidence, horizon);
        var w = Vector<double>.Build.DenseOfEnumerable(positionValues);
        var mean = w.DotProduct(meanReturns) * horizon;
        var sigma = Math.Sqrt(w.DotProduct(covariance * w) * horizon);
        var z = Normal.InvCDF(0, 1, confidence);
        var shortfall = sigma * Normal.PDF(0, 1, z) / (1 - confidence);
        return new RiskEstimate(z * sigma - mean, shortfall - mean);
    }

    /// <summary>
    /// Monte Carlo: <paramref name="paths"/> draws of multivariate-normal returns (Cholesky factor of Σ, seeded so a
    /// run is reproducible), each applied to the positions; then VaR and ES as in <see cref="Historical"/>.
    /// </summary>
    /// <remarks>
    /// A path's P&amp;L, wᵀ(μh + √h·Lz), is computed as wᵀμh + √h·(Lᵀw)ᵀz: the same figure for the same draws z, in
    /// O(n) per path instead of the O(n²) of correlating the shocks first (at 20,000 paths over 30 symbols, tens of
    /// milliseconds a second that <c>GET /risk</c> would take from the order path's cores).
    /// </remarks>
    public static RiskEstimate MonteCarlo(Matrix<double> covariance, Vector<double> meanReturns, IReadOnlyList<double> positionValues,
        double confidence, int horizon = 1, int paths = 100_000, int seed = 1)
    {
        Check(confidence, horizon);
        var weights = Vector<double>.Build.DenseOfEnumerable(positionValues);
        var loadings = (covariance.Cholesky().Factor.TransposeThisAndMultiply(weights) * Math.Sqrt(horizon)).ToArray();
        var expected = weights.DotProduct(meanReturns) * horizon;
        var random = new Random(seed);
        var shocks = new double[loadings.Length];
        var pnl = new double[paths];
        for (var p = 0; p < paths; p++)
        {
            StandardNormal.Fill(random, shocks);
            double value = 0;
            for (var i = 0; i < loadings.Length; i++)
            {
                value += loadings[i] * shocks[i];
            }

            pnl[p] = expected + value;
        }

        return FromScenarios(pnl, confidence, 1);
    }

    private static RiskEstimate FromScenarios(double[] pnl, double confidence, double scale)
    {
        Array.Sort(pnl);
        // Rounded before the ceiling: (1 − 0.95) · 100 is 5.000000000000004 in binary floating point, not 5.
        var tail = Math.Max(1, (int)Math.Ceiling(Math.Round((1 - confidence) * pnl.Length, 9)));
        var valueAtRisk = -pnl[tail - 1] * scale;
        var shortfall = -pnl.Take(tail).Average() * scale;
        return new RiskEstimate(valueAtRisk, shortfall);
    }

    private static double Dot(double[] returns, IReadOnlyList<double> values)
    {
        double sum = 0;
        for (var i = 0; i < returns.Length; i++)
        {
            sum += returns[i] * values[i];
        }

        return sum;
    }

    private static void Check(double confidence, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(confidence, 0.5);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(confidence, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
    }
}
