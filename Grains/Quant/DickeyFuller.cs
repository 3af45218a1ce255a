using MathNet.Numerics.LinearAlgebra;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Quant;

/// <summary>
/// The augmented Dickey-Fuller test of a unit root: the t statistic of γ in
/// Δy_t = [c] + γ y_{t−1} + Σ_{i=1..p} δ_i Δy_{t−i} + e_t.
/// </summary>
public static class DickeyFuller
{
    /// <summary>
    /// Tests one series. With <paramref name="lags"/> null the lag order is chosen by AIC among 0 to
    /// ⌈12 (T/100)^¼⌉ (Schwert's rule), every candidate fitted on the same rows, then the chosen order refitted on
    /// all rows it allows — the procedure of common statistical packages, so statistics agree with theirs.
    /// </summary>
    /// <param name="constant">Whether the test regression has a constant (the "c" form) or none (the "n" form).
    /// The p-value and critical values are MacKinnon's for the "c" form.</param>
    public static DickeyFullerResult Test(IReadOnlyList<double> series, bool constant = true, int? lags = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var length = series.Count;
        var trendTerms = constant ? 1 : 0;
        var largestLag = lags ?? Math.Min(length / 2 - trendTerms - 1, (int)Math.Ceiling(12 * Math.Pow(length / 100.0, 0.25)));
        if (largestLag < 0 || length - 1 - largestLag < largestLag + trendTerms + 3)
        {
            throw new ArgumentException($"{length} observations are too few for a Dickey-Fuller test with {largestLag} lags.", nameof(series));
        }

        var usedLag = lags ?? Enumerable.Range(0, largestLag + 1)
            .MinBy(lag => Regression(series, lag, rowsFromLag: largestLag, constant).Aic);
        var fit = Regression(series, usedLag, rowsFromLag: usedLag, constant);
        var statistic = fit.TStatistic(0);
        var rows = fit.Residuals.Count;
        return new DickeyFullerResult(statistic, MacKinnon.PValue(statistic, 1), usedLag, rows, MacKinnon.CriticalValues(1, rows));
    }

    /// <summary>
    /// The test regression with <paramref name="lag"/> lagged differences, on the rows that
    /// <paramref name="rowsFromLag"/> lags leave (so that fits of different orders can be compared).
    /// Column 0 is the lagged level.
    /// </summary>
    private static LeastSquares Regression(IReadOnlyList<double> series, int lag, int rowsFromLag, bool constant)
    {
        var rows = series.Count - 1 - rowsFromLag;
        var columns = 1 + lag + (constant ? 1 : 0);
        double Difference(int index) => series[index + 1] - series[index];

        // Row r explains the difference Δy at index j = rowsFromLag + r (that is y[j+1] − y[j]).
        var regressors = Matrix<double>.Build.Dense(rows, columns, (r, c) =>
        {
            var j = rowsFromLag + r;
            return c == 0 ? series[j] : c <= lag ? Difference(j - c) : 1.0;
        });
        var response = Vector<double>.Build.Dense(rows, r => Difference(rowsFromLag + r));
        return LeastSquares.Fit(regressors, response);
    }
}
