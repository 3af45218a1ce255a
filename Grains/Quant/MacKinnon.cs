using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Quant;

/// <summary>
/// MacKinnon's response surfaces for Dickey-Fuller and Engle-Granger statistics with a constant in the
/// (cointegrating) regression, for 1 to 6 series: approximate p-values from MacKinnon (1994), "Approximate
/// asymptotic distribution functions for unit-root and cointegration tests", JBES 12(2), and finite-sample
/// critical values from MacKinnon (2010), "Critical values for cointegration tests", Queen's University WP 1227.
/// </summary>
public static class MacKinnon
{
    /// <summary>Most series (N) the tables cover.</summary>
    public const int MaxSeries = 6;

    // 1994 p-value surface, by N − 1: below TauMin p = 0, above TauMax p = 1; left of TauStar the small-p
    // quadratic applies, right of it the large-p cubic; p = Φ(polynomial in τ).
    private static readonly double[] TauMin = [-18.83, -18.86, -23.48, -28.07, -25.96, -23.27];
    private static readonly double[] TauMax = [2.74, 0.92, 0.55, 0.61, 0.79, 1];
    private static readonly double[] TauStar = [-1.61, -2.62, -3.13, -3.47, -3.78, -3.93];

    private static readonly double[][] SmallP =
    [
        [2.1659, 1.4412, 0.038269],
        [2.92, 1.5012, 0.039796],
        [3.4699, 1.4856, 0.03164],
        [3.9673, 1.4777, 0.026315],
        [4.5509, 1.5338, 0.029545],
        [5.1399, 1.6036, 0.034445],
    ];

    private static readonly double[][] LargeP =
    [
        [1.7339, 0.93202, -0.12745, -0.010368],
        [2.1945, 0.64695, -0.29198, -0.042377],
        [2.5893, 0.45168, -0.36529, -0.050074],
        [3.0387, 0.45452, -0.33666, -0.041921],
        [3.5049, 0.52098, -0.29158, -0.033468],
        [3.9489, 0.58933, -0.25359, -0.02721],
    ];

    // 2010 critical values, by N − 1, then 1 %, 5 %, 10 %: τ(T) = b0 + b1/T + b2/T² + b3/T³.
    private static readonly double[][][] Critical =
    [
        [[-3.43035, -6.5393, -16.786, -79.433], [-2.86154, -2.8903, -4.234, -40.04], [-2.56677, -1.5384, -2.809, 0]],
        [[-3.89644, -10.9519, -33.527, 0], [-3.33613, -6.1101, -6.823, 0], [-3.04445, -4.2412, -2.72, 0]],
        [[-4.29374, -14.4354, -33.195, 47.433], [-3.74066, -8.5632, -10.852, 27.982], [-3.45218, -6.2143, -3.718, 0]],
        [[-4.64332, -18.1031, -37.972, 0], [-4.096, -11.2349, -11.175, 0], [-3.8102, -8.3931, -4.137, 0]],
        [[-4.95756, -21.8883, -45.142, 0], [-4.41519, -14.0405, -12.575, 0], [-4.13157, -10.7417, -3.784, 0]],
        [[-5.24568, -25.6688, -57.737, 88.639], [-4.70693, -16.9178, -17.492, 60.007], [-4.42501, -13.1875, -5.104, 27.877]],
    ];

    /// <summary>Approximate p-value of a τ statistic for N series (N = 1: the ADF test).</summary>
    public static double PValue(double tau, int series)
    {
        var i = Index(series);
        if (tau > TauMax[i])
        {
            return 1;
        }

        if (tau < TauMin[i])
        {
            return 0;
        }

        var coefficients = tau <= TauStar[i] ? SmallP[i] : LargeP[i];
        var polynomial = 0.0;
        for (var power = coefficients.Length - 1; power >= 0; power--)
        {
            polynomial = polynomial * tau + coefficients[power];
        }

        return Normal.CDF(0, 1, polynomial);
    }

    /// <summary>Critical values for N series and a regression of <paramref name="observations"/> rows.</summary>
    public static CriticalValues CriticalValues(int series, int observations)
    {
        var rows = Critical[Index(series)];
        double At(double[] b) => b[0] + (b[1] + (b[2] + b[3] / observations) / observations) / observations;
        return new CriticalValues(At(rows[2]), At(rows[1]), At(rows[0]));
    }

    private static int Index(int series)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(series, MaxSeries);
        return series - 1;
    }
}
