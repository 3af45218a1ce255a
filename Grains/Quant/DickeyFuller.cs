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

        var usedLag = lags ?? LagByAic(series, largestLag, constant);
        var fit = LeastSquares.Fit(Regressors(series, usedLag, rowsFromLag: usedLag, constant), Response(series, usedLag));
        var statistic = fit.TStatistic(0);
        var rows = fit.Residuals.Count;
        return new DickeyFullerResult(statistic, MacKinnon.PValue(statistic, 1), usedLag, rows, MacKinnon.CriticalValues(1, rows));
    }

    /// <summary>
    /// The lag order with the smallest AIC, every candidate fitted on the rows the largest order leaves. The
    /// candidates are nested column sets of one regressor matrix, so each fit is solved from its cross products.
    /// </summary>
    private static int LagByAic(IReadOnlyList<double> series, int largestLag, bool constant)
    {
        var regressors = Regressors(series, largestLag, rowsFromLag: largestLag, constant);
        var response = Response(series, largestLag);
        var crossProducts = regressors.TransposeThisAndMultiply(regressors);
        var crossResponse = regressors.TransposeThisAndMultiply(response);
        var rows = regressors.RowCount;
        var constantColumn = regressors.ColumnCount - 1;

        double Aic(int lag)
        {
            int[] used = [.. Enumerable.Range(0, lag + 1), .. constant ? new[] { constantColumn } : []];
            var xx = Matrix<double>.Build.Dense(used.Length, used.Length, (i, j) => crossProducts[used[i], used[j]]);
            var xy = Vector<double>.Build.Dense(used.Length, i => crossResponse[used[i]]);
            var coefficients = xx.Cholesky().Solve(xy);
            var squaredResiduals = response.DotProduct(response) - coefficients.DotProduct(xy);
            return rows * Math.Log(squaredResiduals / rows) + 2 * used.Length;
        }

        return Enumerable.Range(0, largestLag + 1).MinBy(Aic);
    }

    /// <summary>
    /// The test regressors with <paramref name="lag"/> lagged differences, on the rows that
    /// <paramref name="rowsFromLag"/> lags leave (so that fits of different orders can be compared):
    /// column 0 is the lagged level, then the lagged differences, then the constant if any.
    /// </summary>
    private static Matrix<double> Regressors(IReadOnlyList<double> series, int lag, int rowsFromLag, bool constant)
    {
        var rows = series.Count - 1 - rowsFromLag;
        var columns = 1 + lag + (constant ? 1 : 0);

        // Row r explains the difference Δy at index j = rowsFromLag + r (that is y[j+1] − y[j]).
        return Matrix<double>.Build.Dense(rows, columns, (r, c) =>
        {
            var j = rowsFromLag + r;
            return c == 0 ? series[j] : c <= lag ? Difference(series, j - c) : 1.0;
        });
    }

    private static Vector<double> Response(IReadOnlyList<double> series, int rowsFromLag) =>
        Vector<double>.Build.Dense(series.Count - 1 - rowsFromLag, r => Difference(series, rowsFromLag + r));

    private static double Difference(IReadOnlyList<double> series, int index) => series[index + 1] - series[index];
}
