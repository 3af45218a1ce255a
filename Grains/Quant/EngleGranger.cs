using MathNet.Numerics.LinearAlgebra;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Quant;

/// <summary>The Engle-Granger two-step cointegration test and the mean-reversion half-life of a spread.</summary>
public static class EngleGranger
{
    /// <summary>
    /// Regresses the first series on a constant and the others, then tests the residual for a unit root with an
    /// ADF regression without constant (lag order by AIC). The statistic is judged against MacKinnon's
    /// cointegration tables for N = number of series, entered with T − 1 rows as Stata's <c>egranger</c> does.
    /// </summary>
    public static EngleGrangerResult Test(IReadOnlyList<double[]> series, int? lags = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count is < 2 or > MacKinnon.MaxSeries)
        {
            throw new ArgumentException($"Engle-Granger needs 2 to {MacKinnon.MaxSeries} series; got {series.Count}.", nameof(series));
        }

        var length = series[0].Length;
        if (series.Any(s => s.Length != length))
        {
            throw new ArgumentException("Every series must have the same length.", nameof(series));
        }

        var others = series.Count - 1;
        var regressors = Matrix<double>.Build.Dense(length, others + 1, (row, column) => column < others ? series[column + 1][row] : 1.0);
        var fit = LeastSquares.Fit(regressors, Vector<double>.Build.DenseOfArray(series[0]));
        var spread = fit.Residuals.ToArray();

        var adf = DickeyFuller.Test(spread, constant: false, lags);
        var residualTest = adf with
        {
            PValue = MacKinnon.PValue(adf.Statistic, series.Count),
            CriticalValues = MacKinnon.CriticalValues(series.Count, length - 1),
        };
        return new EngleGrangerResult(fit.Coefficients[others], [.. fit.Coefficients.Take(others)], residualTest, HalfLife(spread));
    }

    /// <summary>Half-life of mean reversion from Δs_t = a + b s_{t−1} + e (see <see cref="MeanReversionHalfLife"/>).</summary>
    public static MeanReversionHalfLife HalfLife(IReadOnlyList<double> spread)
    {
        ArgumentNullException.ThrowIfNull(spread);
        if (spread.Count < 4)
        {
            throw new ArgumentException("A half-life needs at least 4 observations.", nameof(spread));
        }

        var rows = spread.Count - 1;
        var regressors = Matrix<double>.Build.Dense(rows, 2, (row, column) => column == 0 ? spread[row] : 1.0);
        var changes = Vector<double>.Build.Dense(rows, row => spread[row + 1] - spread[row]);
        var slope = LeastSquares.Fit(regressors, changes).Coefficients[0];
        double? halfLife = slope switch
        {
            >= 0 => null,
            <= -1 => 0,
            _ => Math.Log(2) / -Math.Log(1 + slope),
        };
        return new MeanReversionHalfLife(slope, halfLife);
    }
}
