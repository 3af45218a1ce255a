using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>The model features against their definitions, and scaling fitted on training rows only.</summary>
public sealed class FeatureTests
{
    [Fact]
    public void Features_of_a_steady_one_percent_climb_are_known_in_closed_form()
    {
        var features = new CandleFeatures();
        var candles = Enumerable.Range(0, 30).Select(i =>
        {
            var close = 100m * (decimal)Math.Pow(1.01, i);
            return new Candle("X", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * i), close, close * 1.002m, close * 0.998m, close, 7m, Bars.Start);
        }).ToList();
        candles.ForEach(features.Update);

        Assert.True(features.IsReady);
        var x = features.Current;
        Assert.Equal(Math.Log(1.01), x[0], 10); // return_1
        Assert.Equal(5 * Math.Log(1.01), x[1], 10); // return_5
        Assert.Equal(0, x[2], 10); // volatility of identical returns
        Assert.Equal(0, x[3], 10); // constant volume
        Assert.Equal(0.5, x[4], 10); // RSI 100: only gains

        // SMA(20) of 100·1.01^k for k = 10 … 29 is 100·1.01^10 · (1.01^20 − 1) / (0.01 · 20).
        var sma = 100 * Math.Pow(1.01, 10) * (Math.Pow(1.01, 20) - 1) / (0.01 * 20);
        Assert.Equal(100 * Math.Pow(1.01, 29) / sma - 1, x[5], 6);
        Assert.Equal(0.004, x[6], 10); // (1.002 − 0.998) C / C
    }

    [Fact]
    public void Features_on_real_bars_match_a_naive_recomputation()
    {
        var candles = CandleCsvReader.Read(RepoData.File("ETHUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(300).ToList();
        var features = new CandleFeatures();
        candles.ForEach(features.Update);

        var closes = candles.Select(c => (double)c.Close).ToArray();
        var returns = Enumerable.Range(closes.Length - 20, 20).Select(i => Math.Log(closes[i] / closes[i - 1])).ToArray();
        var mean = returns.Average();
        var volumes = candles.TakeLast(20).Select(c => Math.Log(1 + (double)c.Volume)).ToArray();
        var (volumeMean, volumeDeviation) = (volumes.Average(), Math.Sqrt(volumes.Average(v => (v - volumes.Average()) * (v - volumes.Average()))));

        Assert.Equal(Math.Log(closes[^1] / closes[^6]), features.Current[1], 12);
        Assert.Equal(Math.Sqrt(returns.Average(r => (r - mean) * (r - mean))), features.Current[2], 9);
        Assert.Equal((volumes[^1] - volumeMean) / volumeDeviation, features.Current[3], 9);
        Assert.Equal(closes[^1] / closes.TakeLast(20).Average() - 1, features.Current[5], 9);
    }

    [Fact]
    public void Scaling_uses_the_training_rows_statistics_only()
    {
        double[][] training = [[1, 10, 5], [3, 20, 5], [5, 30, 5]];
        var scaler = FeatureScaler.Fit(["a", "b", "constant"], training);

        // Means 3, 20, 5; sample deviations 2, 10, 0.
        Assert.Equal([3.0, 20, 5], scaler.Means);
        Assert.Equal([2.0, 10, 0], scaler.Deviations);

        // A later row far outside the training range is scaled with the training statistics, not its own.
        Assert.Equal([3.5, -1.5, 2.0], scaler.Transform([10, 5, 7]));
        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(["a"], [[1.0]]));
    }
}
