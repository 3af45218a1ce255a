using BenchmarkDotNet.Attributes;
using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Benchmarks;

/// <summary>The cointegration tests on real log prices: what a pair retest and an analytics request cost.</summary>
[MemoryDiagnoser]
public class CointegrationBenchmarks
{
    private double[][] _pair500 = [];
    private double[][] _pair2000 = [];
    private double[][] _four2000 = [];

    [GlobalSetup]
    public void Setup()
    {
        var logCloses = new[] { "ETHUSDT", "BTCUSDT", "LTCUSDT", "BNBUSDT" }
            .Select(s => BenchmarkData.Bars(s, 2_000).Select(c => Math.Log((double)c.Close)).ToArray())
            .ToArray();
        _pair500 = [logCloses[0][..500], logCloses[1][..500]];
        _pair2000 = [logCloses[0], logCloses[1]];
        _four2000 = logCloses;
    }

    [Benchmark(Description = "Johansen, 2 series × 500 bars, k = 1 (a pairs-johansen retest)")]
    public JohansenResult JohansenPairRetest() => JohansenTest.Run(_pair500, DeterministicTerm.Constant, 1);

    [Benchmark(Description = "Johansen, 4 series × 2000 bars, k = 2")]
    public JohansenResult JohansenFourSeries() => JohansenTest.Run(_four2000, DeterministicTerm.Constant, 2);

    [Benchmark(Description = "Engle-Granger with AIC lag search, 2 series × 2000 bars")]
    public EngleGrangerResult EngleGrangerPair() => EngleGranger.Test(_pair2000);
}
