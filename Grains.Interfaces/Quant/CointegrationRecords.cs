namespace TradingOrleans.Grains.Interfaces.Quant;

/// <summary>
/// The deterministic terms of a Johansen test, numbered like <c>det_order</c> in common statistical packages.
/// </summary>
public enum DeterministicTerm
{
    /// <summary>No constant and no trend (<c>det_order = -1</c>).</summary>
    None = -1,

    /// <summary>An unrestricted constant (<c>det_order = 0</c>).</summary>
    Constant = 0,

    /// <summary>A constant and a linear trend (<c>det_order = 1</c>).</summary>
    LinearTrend = 1,
}

/// <summary>Critical values of a test statistic at the 10 %, 5 % and 1 % significance levels (90/95/99 % confidence).</summary>
[GenerateSerializer, Immutable]
public sealed record CriticalValues(
    [property: Id(0)] double Percent10,
    [property: Id(1)] double Percent5,
    [property: Id(2)] double Percent1)
{
    /// <summary>The confidence levels critical values exist for.</summary>
    public static IReadOnlyList<double> Confidences { get; } = [0.90, 0.95, 0.99];

    /// <summary>The value at a confidence of 0.90, 0.95 or 0.99.</summary>
    public double At(double confidence) => confidence switch
    {
        0.90 => Percent10,
        0.95 => Percent5,
        0.99 => Percent1,
        _ => throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Critical values exist for 0.90, 0.95 and 0.99."),
    };
}

/// <summary>The tests of one null hypothesis "rank ≤ r" in a Johansen test.</summary>
/// <param name="Rank">r: the number of cointegrating relations under the null.</param>
/// <param name="Eigenvalue">The (r+1)-th largest eigenvalue.</param>
/// <param name="TraceStatistic">−T Σ_{i&gt;r} ln(1 − λ_i): tests rank ≤ r against rank = n.</param>
/// <param name="MaxEigenStatistic">−T ln(1 − λ_{r+1}): tests rank = r against rank = r + 1.</param>
[GenerateSerializer, Immutable]
public sealed record JohansenRankTest(
    [property: Id(0)] int Rank,
    [property: Id(1)] double Eigenvalue,
    [property: Id(2)] double TraceStatistic,
    [property: Id(3)] CriticalValues TraceCriticalValues,
    [property: Id(4)] double MaxEigenStatistic,
    [property: Id(5)] CriticalValues MaxEigenCriticalValues);

/// <summary>The cointegration rank a Johansen test settles on at each confidence level.</summary>
[GenerateSerializer, Immutable]
public sealed record RankDecision(
    [property: Id(0)] int At90,
    [property: Id(1)] int At95,
    [property: Id(2)] int At99)
{
    /// <summary>The rank at a confidence of 0.90, 0.95 or 0.99.</summary>
    public int At(double confidence) => confidence switch
    {
        0.90 => At90,
        0.95 => At95,
        0.99 => At99,
        _ => throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Ranks are decided at 0.90, 0.95 and 0.99."),
    };
}

/// <summary>A Johansen cointegration test of n series.</summary>
/// <param name="Observations">T: the rows of the residual regressions (sample length − lags − 1).</param>
/// <param name="Eigenvalues">λ_1 ≥ … ≥ λ_n.</param>
/// <param name="Eigenvectors">The cointegrating vectors β_i, one per eigenvalue in the same order, each with n
/// entries, normalised so that β_i' S_kk β_i = 1 and its first non-zero entry is positive.</param>
/// <param name="TraceRank">Rank by sequential trace tests (the first r whose trace statistic is below its critical value).</param>
/// <param name="MaxEigenRank">Rank by sequential maximum-eigenvalue tests.</param>
[GenerateSerializer, Immutable]
public sealed record JohansenResult(
    [property: Id(0)] int Observations,
    [property: Id(1)] DeterministicTerm DeterministicTerm,
    [property: Id(2)] int LagDifferences,
    [property: Id(3)] IReadOnlyList<double> Eigenvalues,
    [property: Id(4)] IReadOnlyList<IReadOnlyList<double>> Eigenvectors,
    [property: Id(5)] IReadOnlyList<JohansenRankTest> Tests,
    [property: Id(6)] RankDecision TraceRank,
    [property: Id(7)] RankDecision MaxEigenRank)
{
    /// <summary>
    /// The first cointegrating vector scaled so its first entry is 1: the spread is x_1 + Σ w_i x_i, so each
    /// further series is held at −w_i units per unit of the first.
    /// </summary>
    public IReadOnlyList<double> NormalizedFirstVector => [.. Eigenvectors[0].Select(w => w / Eigenvectors[0][0])];
}

/// <summary>An augmented Dickey-Fuller unit-root test.</summary>
/// <param name="Statistic">The t statistic of the lagged level; more negative rejects a unit root more strongly.</param>
/// <param name="PValue">MacKinnon's (1994) approximate p-value.</param>
/// <param name="UsedLag">Lagged differences in the regression (chosen by AIC unless fixed).</param>
/// <param name="Observations">Rows of the test regression.</param>
/// <param name="CriticalValues">MacKinnon's (2010) finite-sample critical values.</param>
[GenerateSerializer, Immutable]
public sealed record DickeyFullerResult(
    [property: Id(0)] double Statistic,
    [property: Id(1)] double PValue,
    [property: Id(2)] int UsedLag,
    [property: Id(3)] int Observations,
    [property: Id(4)] CriticalValues CriticalValues);

/// <summary>
/// Engle-Granger two-step test: OLS of the first series on a constant and the others, then an ADF test (no
/// constant) on the residuals, judged against MacKinnon's cointegration tables for that many series.
/// </summary>
/// <param name="Intercept">α in x_1 = α + Σ b_i x_i + u.</param>
/// <param name="Coefficients">b_i, one per further series.</param>
/// <param name="HalfLife">Mean-reversion half-life of the residual spread u, in bars.</param>
[GenerateSerializer, Immutable]
public sealed record EngleGrangerResult(
    [property: Id(0)] double Intercept,
    [property: Id(1)] IReadOnlyList<double> Coefficients,
    [property: Id(2)] DickeyFullerResult ResidualTest,
    [property: Id(3)] MeanReversionHalfLife HalfLife);

/// <summary>
/// Speed of mean reversion of a spread from the regression Δs_t = a + b s_{t−1} + e: the half-life is
/// ln 2 / −ln(1 + b) bars (the exact AR(1) form; ≈ −ln 2 / b for small b).
/// </summary>
/// <param name="HalfLifeBars">Null when b ≥ 0 (the spread does not revert); 0 when b ≤ −1 (it reverts within a bar).</param>
[GenerateSerializer, Immutable]
public sealed record MeanReversionHalfLife(
    [property: Id(0)] double Slope,
    [property: Id(1)] double? HalfLifeBars);

/// <summary>Everything needed to vet a set of series as a cointegrated basket before trading it.</summary>
/// <param name="Series">The names of the series, in the order of every vector below.</param>
/// <param name="Observations">Aligned price points tested.</param>
/// <param name="LogPrices">Whether the tests ran on natural logs of the prices.</param>
/// <param name="Confidence">0.90, 0.95 or 0.99: the level of <see cref="Rank"/>.</param>
/// <param name="Rank">Cointegration rank by the Johansen trace test at <see cref="Confidence"/>.</param>
/// <param name="CointegratingVector">The first Johansen vector scaled to 1 on the first series: the spread is Σ w_i x_i.</param>
/// <param name="SpreadHalfLife">Mean-reversion half-life of that spread, in bars.</param>
/// <param name="EngleGranger">The Engle-Granger test of the same data (up to 6 series; null beyond).</param>
[GenerateSerializer, Immutable]
public sealed record CointegrationReport(
    [property: Id(0)] IReadOnlyList<string> Series,
    [property: Id(1)] int Observations,
    [property: Id(2)] bool LogPrices,
    [property: Id(3)] double Confidence,
    [property: Id(4)] JohansenResult Johansen,
    [property: Id(5)] int Rank,
    [property: Id(6)] IReadOnlyList<double> CointegratingVector,
    [property: Id(7)] MeanReversionHalfLife SpreadHalfLife,
    [property: Id(8)] EngleGrangerResult? EngleGranger)
{
    /// <summary>Whether at least one stationary combination exists at <see cref="Confidence"/>.</summary>
    public bool Cointegrated => Rank >= 1;
}
