using TradingOrleans.Grains.Indicators;

namespace TradingOrleans.Tests.Indicators;

public sealed class IndicatorTests
{
    // J. Welles Wilder's RSI worked example as published by StockCharts ("Relative Strength Index (RSI)",
    // ChartSchool, cs-rsi.xls): 33 closes, RSI(14) from the 15th close on.
    private static readonly double[] WilderCloses =
    [
        44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
        46.00, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57,
        43.42, 42.66, 43.13,
    ];

    // StockCharts' table: its spreadsheet rounds the average gain and loss to two places before dividing.
    private static readonly double[] PublishedRsi =
        [70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77];

    // The same series computed at full precision, independently (Python, the definition in Wilder 1978):
    // avg₁ = mean of the first 14 gains/losses, avgₜ = (avgₜ₋₁·13 + xₜ)/14, RSI = 100 − 100/(1 + gain/loss).
    private static readonly double[] FullPrecisionRsi =
        [70.46, 66.25, 66.48, 69.35, 66.29, 57.92, 62.88, 63.21, 56.01, 62.34, 54.67, 50.39, 40.02, 41.49, 41.90, 45.50, 37.32, 33.09, 37.79];

    [Fact]
    public void Rsi_matches_Wilder_reference_values()
    {
        var rsi = new RelativeStrengthIndex(14);
        var values = new List<double>();
        foreach (var close in WilderCloses)
        {
            rsi.Update(close);
            if (rsi.IsReady)
            {
                values.Add(rsi.Current);
            }
        }

        Assert.Equal(FullPrecisionRsi.Length, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            Assert.Equal(FullPrecisionRsi[i], values[i], 2);
            Assert.True(Math.Abs(PublishedRsi[i] - values[i]) < 0.1, $"bar {i}: {values[i]:F2} vs published {PublishedRsi[i]}");
        }
    }

    [Fact]
    public void Rsi_is_not_ready_before_period_changes_and_is_100_without_losses()
    {
        var rsi = new RelativeStrengthIndex(3);
        rsi.Update(1);
        rsi.Update(2);
        rsi.Update(3);
        Assert.False(rsi.IsReady);

        rsi.Update(4);
        Assert.True(rsi.IsReady);
        Assert.Equal(100, rsi.Current);
    }

    [Fact]
    public void Sma_averages_the_last_period_values()
    {
        var sma = new SimpleMovingAverage(3);
        sma.Update(1);
        sma.Update(2);
        Assert.False(sma.IsReady);
        Assert.True(double.IsNaN(sma.Current));

        sma.Update(3);
        Assert.Equal(2, sma.Current, 12);
        sma.Update(10);
        Assert.Equal(5, sma.Current, 12); // (2 + 3 + 10) / 3
    }

    [Fact]
    public void Ema_is_seeded_with_the_sma_then_smoothed_with_two_over_n_plus_one()
    {
        var ema = new ExponentialMovingAverage(3); // α = 2 / 4 = 0.5
        ema.Update(1);
        ema.Update(2);
        ema.Update(3);
        Assert.Equal(2, ema.Current, 12);   // seed: (1 + 2 + 3) / 3
        ema.Update(4);
        Assert.Equal(3, ema.Current, 12);   // 2 + 0.5 · (4 − 2)
        ema.Update(10);
        Assert.Equal(6.5, ema.Current, 12); // 3 + 0.5 · (10 − 3)
    }
}
