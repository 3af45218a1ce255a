using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A run of closed bars as the models see it: each bar's time and close, and its raw <see cref="CandleFeatures"/>
/// row once the features are ready (null before). Labels look forward from a bar; features never do.
/// </summary>
public sealed class CandleSeries
{
    private CandleSeries(DateTimeOffset[] times, double[] closes, double[]?[] rows, int firstReady)
    {
        Times = times;
        Closes = closes;
        Rows = rows;
        FirstReady = firstReady;
    }

    public IReadOnlyList<DateTimeOffset> Times { get; }

    public IReadOnlyList<double> Closes { get; }

    /// <summary>Raw feature rows in the order of <see cref="CandleFeatures.Names"/>; null until the features are ready.</summary>
    public IReadOnlyList<double[]?> Rows { get; }

    /// <summary>Index of the first bar with features.</summary>
    public int FirstReady { get; }

    public int Count => Closes.Count;

    public static CandleSeries From(IReadOnlyList<Candle> candles)
    {
        var features = new CandleFeatures();
        var times = new DateTimeOffset[candles.Count];
        var closes = new double[candles.Count];
        var rows = new double[]?[candles.Count];
        var firstReady = candles.Count;
        for (var t = 0; t < candles.Count; t++)
        {
            features.Update(candles[t]);
            times[t] = candles[t].OpenTime;
            closes[t] = (double)candles[t].Close;
            if (features.IsReady)
            {
                rows[t] = (double[])features.Current.Clone();
                firstReady = Math.Min(firstReady, t);
            }
        }

        return new CandleSeries(times, closes, rows, firstReady);
    }

    /// <summary>ln(C[t] / C[t−1]): the return realised by bar <paramref name="t"/>.</summary>
    public double Return(int t) => Math.Log(Closes[t] / Closes[t - 1]);

    /// <summary>The next <paramref name="horizon"/> one-bar log returns after bar <paramref name="t"/> (the labels at t).</summary>
    public double[] ReturnsAfter(int t, int horizon)
    {
        var returns = new double[horizon];
        for (var k = 1; k <= horizon; k++)
        {
            returns[k - 1] = Return(t + k);
        }

        return returns;
    }

    /// <summary>The first bar opening at or after <paramref name="time"/> (Count when none does).</summary>
    public int IndexAt(DateTimeOffset time)
    {
        var index = Array.BinarySearch((DateTimeOffset[])Times, time);
        return index >= 0 ? index : ~index;
    }
}
