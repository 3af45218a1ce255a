using MathNet.Numerics.LinearAlgebra;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Quant;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Risk;

/// <summary>The portfolio's exposures and its VaR/ES by the three methods, for the risk status.</summary>
public static class RiskMeasures
{
    /// <summary>Seed of the Monte Carlo figures, so the same portfolio and history give the same numbers.</summary>
    public const int MonteCarloSeed = 20_211;

    public static PortfolioRiskMeasures Of(PortfolioRiskView view, ReturnModel model, RiskOptions options, int monteCarloPaths)
    {
        var n = view.Symbols.Count;
        var values = Enumerable.Range(0, n).Select(i => (double)(view.Quantities[i] * view.Prices[i])).ToArray();
        var gross = Enumerable.Range(0, n).Sum(i => Math.Abs(view.Quantities[i] * view.Prices[i]));
        var net = Enumerable.Range(0, n).Sum(i => view.Quantities[i] * view.Prices[i]);

        IReadOnlyList<ValueAtRiskFigure> figures = [];
        if (n > 0 && view.ReturnObservations >= options.MinimumReturnObservations && view.BarInterval is { } bar)
        {
            var horizon = ValueAtRiskRule.HorizonBars(options.ValueAtRiskHorizon, bar);
            var confidence = options.ValueAtRiskConfidence;
            var covariance = Matrix<double>.Build.Dense(n, n, (i, j) => model.Covariance[i * n + j]);
            var zeroMeans = Vector<double>.Build.Dense(n);

            // A symbol that never moved has zero variance; a tiny ridge keeps the Cholesky factor defined.
            var ridged = covariance + Matrix<double>.Build.DenseIdentity(n) * 1e-14;
            var historical = ValueAtRisk.Historical(model.Scenarios, values, confidence, horizon);
            var parametric = ValueAtRisk.Parametric(covariance, zeroMeans, values, confidence, horizon);
            var monteCarlo = ValueAtRisk.MonteCarlo(ridged, zeroMeans, values, confidence, horizon, monteCarloPaths, MonteCarloSeed);
            figures =
            [
                new("historical", historical.ValueAtRisk, historical.ExpectedShortfall),
                new("parametric", parametric.ValueAtRisk, parametric.ExpectedShortfall),
                new("monte-carlo", monteCarlo.ValueAtRisk, monteCarlo.ExpectedShortfall),
            ];
        }

        return new PortfolioRiskMeasures(view.Exposure.Equity, gross, net, options.ValueAtRiskConfidence, options.ValueAtRiskHorizon,
            view.ReturnObservations, figures);
    }
}
