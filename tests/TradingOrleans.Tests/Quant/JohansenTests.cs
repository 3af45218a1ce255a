using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Quant;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Quant;

/// <summary>
/// The Johansen test against published reference output: LeSage's Econometrics Toolbox (jplv, <c>johansen.m</c>)
/// on its 173 × 8 test dataset, as reproduced in statsmodels' own test suite (tsa/vector_ar/tests/test_coint.py).
/// The dataset is read from the installed python3-statsmodels package; the reference numbers are typed in here.
/// </summary>
public sealed class JohansenTests
{
    private const double RelativeTolerance = 1e-7;

    private static readonly IReadOnlyList<double[]> Dataset = LoadDataset();

    [Fact]
    public void Johansen_statistics_eigenvalues_and_vectors_match_reference_with_linear_trend_and_two_lags()
    {
        var result = JohansenTest.Run(Dataset, DeterministicTerm.LinearTrend, lagDifferences: 2);

        Assert.Equal(173 - 1 - 2, result.Observations);
        AssertClose(
            [241.985452556075, 166.4781461662553, 110.3298006342814, 70.79801574443574, 44.90887371527634, 27.22385073668511, 11.74205493173769, 3.295435325623445],
            result.Tests.Select(t => t.TraceStatistic));
        AssertClose(
            [75.50730638981975, 56.14834553197396, 39.5317848898456, 25.8891420291594, 17.68502297859124, 15.48179580494741, 8.446619606114249, 3.295435325623445],
            result.Tests.Select(t => t.MaxEigenStatistic));
        AssertClose(
            [0.3586376068088151, 0.2812806889719111, 0.2074818815675726, 0.141259991767926, 0.09880133062878599, 0.08704563854307619, 0.048471840356709, 0.01919823444066367],
            result.Eigenvalues);
        AssertCritical([169.0618, 175.1584, 187.1891], result.Tests[0].TraceCriticalValues);
        AssertCritical([16.1619, 18.3985, 23.1485], result.Tests[6].TraceCriticalValues);
        AssertCritical([52.5858, 55.7302, 62.1741], result.Tests[0].MaxEigenCriticalValues);
        AssertCritical([2.7055, 3.8415, 6.6349], result.Tests[7].MaxEigenCriticalValues);

        double[][] referenceVectors =
        [
            [0.01102517075074406, -0.2185481584930077, 0.04565819524210763, -0.06556394587400775, 0.04711496306104131, -0.1500111976629196, 0.03775327003706507, 0.03479475877437702],
            [0.007517888890275335, -0.2014629352546497, 0.01526001455616041, 0.0707900418057458, -0.002388919695513273, 0.04486516694838273, -0.02936314422571188, 0.009900554050392113],
            [0.02846074144367176, 0.02021385478834498, -0.04276914888645468, 0.1738024290422287, 0.07821155002012749, -0.1066523077111768, -0.3011042488399306, 0.04965189679477353],
            [0.07141291326159237, -0.01406702689857725, -0.07842109866080313, -0.04773566072362181, -0.04768640728128824, -0.04428737926285261, 0.4143225656833862, 0.04512787132114879],
            [-0.06817130121837202, 0.2246249779872569, -0.009356548567565763, 0.006685350535849125, -0.02040894506833539, 0.008131690308487425, -0.2503209797396666, 0.01560186979508953],
            [0.03327070126502506, -0.263036624535624, -0.04669882107497259, 0.0146457545413255, 0.01408691619062709, 0.1004753600191269, -0.02239205763487946, -0.02169291468272568],
            [0.0878231316060862, -0.07696508791577318, 0.008925177304198475, -0.06230900392092828, -0.01548907461158638, 0.04574831652028973, -0.2972228156126774, 0.003469819004961912],
            [-0.001868995544352928, 0.05993345996347871, 0.01213394328069316, 0.02096614212178651, -0.08624395993789938, 0.02108183181049973, -0.08470307289295617, -5.135072530480897e-05],
        ];
        for (var i = 0; i < 8; i++)
        {
            // An eigenvector is defined up to its sign; ours has a positive first entry.
            var sign = Math.Sign(referenceVectors[i][0]);
            AssertClose(referenceVectors[i].Select(v => sign * v), result.Eigenvectors[i], 1e-6);
        }
    }

    [Fact]
    public void Johansen_statistics_match_reference_with_constant_and_nine_lags()
    {
        var result = JohansenTest.Run(Dataset, DeterministicTerm.Constant, lagDifferences: 9);

        Assert.Equal(173 - 1 - 9, result.Observations);
        AssertClose(
            [307.6888935095814, 205.3839229398245, 129.1330243009336, 83.3101865760208, 52.51955460357912, 30.20027050520502, 13.84158157562689, 0.4117390188204866],
            result.Tests.Select(t => t.TraceStatistic));
        AssertClose(
            [102.3049705697569, 76.25089863889085, 45.82283772491284, 30.7906319724417, 22.31928409837409, 16.35868892957814, 13.4298425568064, 0.4117390188204866],
            result.Tests.Select(t => t.MaxEigenStatistic));
        AssertCritical([153.6341, 159.529, 171.0905], result.Tests[0].TraceCriticalValues);
        AssertCritical([13.4294, 15.4943, 19.9349], result.Tests[6].TraceCriticalValues);
        AssertCritical([49.2855, 52.3622, 58.6634], result.Tests[0].MaxEigenCriticalValues);
        AssertCritical([12.2971, 14.2639, 18.52], result.Tests[6].MaxEigenCriticalValues);

        // Trace at 95 %: 307.7 > 159.5, 205.4 > 125.6, 129.1 > 95.8, 83.3 > 69.8, 52.5 > 47.9, 30.2 > 29.8, 13.8 < 15.5 → 6;
        // at 90 % 13.8 > 13.4 as well (→ 7); at 99 % 52.5 < 54.7 (→ 4).
        Assert.Equal(new RankDecision(7, 6, 4), result.TraceRank);

        // Max-eigenvalue: 30.8 is below both 31.2 (90 %) and 33.9 (95 %); at 99 % 45.8 < 45.9.
        Assert.Equal(new RankDecision(3, 3, 2), result.MaxEigenRank);
    }

    [Fact]
    public void Johansen_statistics_match_reference_without_deterministic_terms_and_eight_lags()
    {
        var result = JohansenTest.Run(Dataset, DeterministicTerm.None, lagDifferences: 8);

        AssertClose(
            [260.6786029744658, 162.7966072512681, 105.8253545950566, 71.16133060790817, 47.68490211260372, 28.11843682526138, 13.03968537077271, 2.25398078597622],
            result.Tests.Select(t => t.TraceStatistic));
        AssertClose(
            [97.88199572319769, 56.97125265621156, 34.66402398714837, 23.47642849530445, 19.56646528734234, 15.07875145448866, 10.7857045847965, 2.25398078597622],
            result.Tests.Select(t => t.MaxEigenStatistic));
        AssertCritical([137.9954, 143.6691, 154.7977], result.Tests[0].TraceCriticalValues);
        AssertCritical([2.9762, 4.1296, 6.9406], result.Tests[7].TraceCriticalValues);
        AssertCritical([45.893, 48.8795, 55.0335], result.Tests[0].MaxEigenCriticalValues);
    }

    [Fact]
    public void Johansen_finds_the_planted_relation_and_its_hedge_ratio()
    {
        // x_B is a random walk; x_A = 2 x_B + stationary AR(1) noise: one cointegrating vector ∝ (1, −2).
        var random = new Random(7);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var b = new double[1000];
        var a = new double[1000];
        var noise = 0.0;
        for (var t = 1; t < b.Length; t++)
        {
            b[t] = b[t - 1] + Gaussian();
            noise = 0.5 * noise + Gaussian();
            a[t] = 2 * b[t] + noise;
        }

        var result = JohansenTest.Run([a, b], DeterministicTerm.Constant, lagDifferences: 1);

        Assert.Equal(new RankDecision(1, 1, 1), result.TraceRank);
        Assert.Equal(-2, result.NormalizedFirstVector[1], 1);
    }

    [Fact]
    public void Johansen_refuses_too_few_observations_and_unequal_lengths()
    {
        Assert.Throws<ArgumentException>(() => JohansenTest.Run([new double[10], new double[10]], DeterministicTerm.Constant, 3));
        Assert.Throws<ArgumentException>(() => JohansenTest.Run([new double[100], new double[99]], DeterministicTerm.Constant, 1));
        Assert.Throws<ArgumentException>(() => JohansenTest.Run([new double[100]], DeterministicTerm.Constant, 1));
    }

    private static IReadOnlyList<double[]> LoadDataset()
    {
        var rows = Statsmodels.ReadTable(Statsmodels.PackageFile("tsa/vector_ar/tests/Matlab_results/test_coint.csv"));
        Assert.Equal(173, rows.Length);
        return [.. Enumerable.Range(0, rows[0].Length).Select(column => rows.Select(row => row[column]).ToArray())];
    }

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<double> actual, double relativeTolerance = RelativeTolerance)
    {
        var (e, a) = (expected.ToArray(), actual.ToArray());
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            var scale = Math.Max(Math.Abs(e[i]), 1e-3);
            Assert.True(Math.Abs(e[i] - a[i]) <= relativeTolerance * scale, $"[{i}] expected {e[i]:R}, got {a[i]:R}");
        }
    }

    private static void AssertCritical(double[] expected90To99, CriticalValues actual) =>
        Assert.Equal(expected90To99, new[] { actual.Percent10, actual.Percent5, actual.Percent1 });
}
