using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Quant;

/// <summary>Runs the Johansen and Engle-Granger tests on a set of price series and reads off the tradable spread.</summary>
public static class CointegrationAnalysis
{
    /// <param name="prices">One array per series, aligned and oldest first; positive when <paramref name="logPrices"/>.</param>
    public static CointegrationReport Analyze(
        IReadOnlyList<string> names, IReadOnlyList<double[]> prices, bool logPrices, DeterministicTerm term, int lagDifferences, double confidence)
    {
        if (!CriticalValues.Confidences.Contains(confidence))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Use 0.90, 0.95 or 0.99.");
        }

        var series = logPrices ? prices.Select(p => p.Select(price => Math.Log(price)).ToArray()).ToArray() : [.. prices];
        var johansen = JohansenTest.Run(series, term, lagDifferences);
        var vector = johansen.NormalizedFirstVector;
        var spread = Enumerable.Range(0, series[0].Length).Select(t => series.Select((s, i) => vector[i] * s[t]).Sum()).ToArray();

        return new CointegrationReport(
            names,
            series[0].Length,
            logPrices,
            confidence,
            johansen,
            johansen.TraceRank.At(confidence),
            vector,
            EngleGranger.HalfLife(spread),
            series.Length <= MacKinnon.MaxSeries ? EngleGranger.Test(series) : null);
    }
}
