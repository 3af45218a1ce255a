using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Quant;

/// <summary>
/// Johansen's maximum-likelihood test of the cointegration rank of n series, on the VECM
/// Δx_t = Π x_{t−1} + Σ_{i=1..k} Γ_i Δx_{t−i} + deterministic terms + ε_t.
/// </summary>
/// <remarks>
/// Follows the reduced-rank regression of Johansen (1991): the differences and the lagged levels are each
/// regressed on the k lagged differences, and the eigenvalues of S_kk⁻¹ S_k0 S_00⁻¹ S_0k of the residual moment
/// matrices give the statistics. The deterministic terms are handled as in common statistical packages
/// (statsmodels' <c>coint_johansen</c>, LeSage's <c>johansen.m</c>): the levels are detrended by a polynomial of
/// degree <c>det_order</c> and, when <c>det_order ≥ 0</c>, every regression is demeaned. The eigenproblem is solved
/// in its symmetric form through the Cholesky factor of S_kk, which is stabler than the non-symmetric product.
/// </remarks>
public static class JohansenTest
{
    /// <summary>Runs the test on n series of equal length (each array one series, oldest first).</summary>
    /// <param name="lagDifferences">k: lagged differences in the VECM (<c>k_ar_diff</c>), at least 1.</param>
    public static JohansenResult Run(IReadOnlyList<double[]> series, DeterministicTerm term, int lagDifferences)
    {
        ArgumentNullException.ThrowIfNull(series);
        var n = series.Count;
        if (n is < 2 or > CointegrationQuery.MaxSeries)
        {
            throw new ArgumentException($"Johansen needs 2 to {CointegrationQuery.MaxSeries} series; got {n}.", nameof(series));
        }

        var length = series[0].Length;
        if (series.Any(s => s.Length != length))
        {
            throw new ArgumentException("Every series must have the same length.", nameof(series));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(lagDifferences, 1);
        if (length - lagDifferences - 1 < n * (lagDifferences + 1) + 3)
        {
            throw new ArgumentException(
                $"{length} observations are too few for {n} series with {lagDifferences} lagged differences.", nameof(series));
        }

        var levels = Detrend(Matrix<double>.Build.DenseOfColumnArrays(series), (int)term);
        var differences = Difference(levels);
        var rows = differences.RowCount - lagDifferences;

        // One matrix of the regression's columns: Δx_t (n), x_{t−1} (n), then Δx_{t−1} … Δx_{t−k} (n each).
        var columns = Matrix<double>.Build.Dense(rows, n * (lagDifferences + 2), (row, column) =>
        {
            var (block, variable) = (column / n, column % n);
            return block switch
            {
                0 => differences[row + lagDifferences, variable],
                1 => levels[row + lagDifferences, variable],
                _ => differences[row + lagDifferences - (block - 1), variable],
            };
        });
        if (term != DeterministicTerm.None)
        {
            columns = Detrend(columns, 0);
        }

        // The residual moment matrices of Δx_t and x_{t−1} after regressing both on the lagged differences come
        // from the small cross-product matrix (S_ab − S_az S_zz⁺ S_zb), never from T × T projections.
        var moments = columns.TransposeThisAndMultiply(columns) / rows;
        var lagged = n * lagDifferences;
        var szz = moments.SubMatrix(2 * n, lagged, 2 * n, lagged);
        var crossLagged = moments.SubMatrix(0, 2 * n, 2 * n, lagged);
        var filtered = moments.SubMatrix(0, 2 * n, 0, 2 * n) - crossLagged * szz.PseudoInverse() * crossLagged.Transpose();
        var s00 = filtered.SubMatrix(0, n, 0, n);
        var sk0 = filtered.SubMatrix(n, n, 0, n);
        var skk = filtered.SubMatrix(n, n, n, n);

        // β' S_k0 S_00⁻¹ S_0k β = λ β' S_kk β becomes a symmetric problem in v = L'β with S_kk = L L'.
        var lowerInverse = skk.Cholesky().Factor.Inverse();
        var symmetric = lowerInverse * sk0 * s00.Inverse() * sk0.Transpose() * lowerInverse.Transpose();
        symmetric = (symmetric + symmetric.Transpose()) / 2;
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var vectors = lowerInverse.Transpose() * evd.EigenVectors;

        if (Enumerable.Range(0, n).Any(i => !double.IsFinite(evd.EigenValues[i].Real)))
        {
            throw new ArgumentException("The series are degenerate: their residual moment matrix is singular.", nameof(series));
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var eigenvalues = order.Select(i => Math.Clamp(evd.EigenValues[i].Real, 0, 1 - 1e-15)).ToArray();
        var eigenvectors = order.Select(i => PositiveFirst(vectors.Column(i).ToArray())).ToArray();

        var tests = new JohansenRankTest[n];
        for (var r = 0; r < n; r++)
        {
            var trace = -rows * eigenvalues.Skip(r).Sum(l => Math.Log(1 - l));
            var maxEigen = -rows * Math.Log(1 - eigenvalues[r]);
            tests[r] = new JohansenRankTest(
                r, eigenvalues[r],
                trace, JohansenCriticalValues.Trace(n - r, term),
                maxEigen, JohansenCriticalValues.MaxEigen(n - r, term));
        }

        return new JohansenResult(
            rows, term, lagDifferences, eigenvalues, eigenvectors, tests,
            Decide(tests, t => (t.TraceStatistic, t.TraceCriticalValues)),
            Decide(tests, t => (t.MaxEigenStatistic, t.MaxEigenCriticalValues)));
    }

    /// <summary>The rank the sequential procedure accepts: the first r whose statistic does not exceed its critical value.</summary>
    private static RankDecision Decide(JohansenRankTest[] tests, Func<JohansenRankTest, (double Statistic, CriticalValues Critical)> pick)
    {
        int RankAt(Func<CriticalValues, double> level)
        {
            var r = 0;
            while (r < tests.Length && pick(tests[r]).Statistic > level(pick(tests[r]).Critical))
            {
                r++;
            }

            return r;
        }

        return new RankDecision(RankAt(c => c.Percent10), RankAt(c => c.Percent5), RankAt(c => c.Percent1));
    }

    /// <summary>Residuals of each column regressed on a polynomial in time of the given degree; degree −1 leaves the data alone.</summary>
    private static Matrix<double> Detrend(Matrix<double> data, int degree)
    {
        if (degree < 0)
        {
            return data;
        }

        if (degree == 0)
        {
            var means = data.ColumnSums() / data.RowCount;
            return data - Matrix<double>.Build.Dense(data.RowCount, data.ColumnCount, (_, column) => means[column]);
        }

        var time = Matrix<double>.Build.Dense(data.RowCount, degree + 1, (row, power) => Math.Pow(row, power));
        return data - time * time.QR(QRMethod.Thin).Solve(data);
    }

    private static Matrix<double> Difference(Matrix<double> levels) =>
        levels.SubMatrix(1, levels.RowCount - 1, 0, levels.ColumnCount) - levels.SubMatrix(0, levels.RowCount - 1, 0, levels.ColumnCount);

    private static double[] PositiveFirst(double[] vector)
    {
        var first = Array.Find(vector, v => v != 0);
        return first < 0 ? [.. vector.Select(v => -v)] : vector;
    }
}
