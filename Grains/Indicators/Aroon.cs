namespace TradingOrleans.Grains.Indicators;

/// <summary>Aroon: up = 100 (n − bars since the n-period high) / n, down likewise for the low, over the last n + 1 bars.</summary>
public sealed class Aroon(int period)
{
    private readonly RollingExtreme _high = new(period + 1, true);
    private readonly RollingExtreme _low = new(period + 1, false);

    public bool IsReady => _high.IsReady;

    public double Up => 100.0 * (period - _high.BarsSince) / period;

    public double Down => 100.0 * (period - _low.BarsSince) / period;

    public void Update(double high, double low)
    {
        _high.Update(high);
        _low.Update(low);
    }
}
