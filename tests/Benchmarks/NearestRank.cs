namespace TradingOrleans.Benchmarks;

/// <summary>Percentiles by the nearest-rank method, the one every figure of the harness uses.</summary>
public static class NearestRank
{
    /// <summary>The <paramref name="p"/> percentile (0–1) of values sorted ascending; NaN when there are none.</summary>
    public static double Of(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
