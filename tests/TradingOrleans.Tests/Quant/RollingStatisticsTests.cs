using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Tests.Quant;

public sealed class RollingStatisticsTests
{
    [Fact]
    public void Mean_and_sample_deviation_of_the_last_window_match_hand_values()
    {
        var stats = new RollingStatistics(4);
        foreach (var x in new[] { 100.0, 2, 4, 4, 4, 5, 5, 7, 9 })
        {
            stats.Add(x);
        }

        // Window [5, 5, 7, 9]: mean 26/4 = 6.5; squared deviations 2.25 + 2.25 + 0.25 + 6.25 = 11; s = √(11/3).
        Assert.True(stats.IsReady);
        Assert.Equal(6.5, stats.Mean, 12);
        Assert.Equal(Math.Sqrt(11.0 / 3), stats.StandardDeviation, 12);
    }

    [Fact]
    public void Not_ready_until_the_window_is_full()
    {
        var stats = new RollingStatistics(3);
        stats.Add(1);
        stats.Add(2);

        Assert.False(stats.IsReady);
        Assert.Equal(2, stats.Count);
        Assert.Equal(1.5, stats.Mean, 12);
    }

    [Fact]
    public void No_drift_after_a_hundred_thousand_updates_at_a_large_offset()
    {
        var stats = new RollingStatistics(50);
        var random = new Random(7);
        var values = new double[100_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 1e6 + random.NextDouble();
            stats.Add(values[i]);
        }

        var window = values[^50..];
        var mean = window.Average();
        var deviation = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / 49);
        Assert.Equal(mean, stats.Mean, 6);
        Assert.Equal(deviation, stats.StandardDeviation, 4);
    }
}
