namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Lambert's CCI: (TP − SMA(TP)) / (0.015 × mean absolute deviation of TP), TP = (H + L + C) / 3. The mean
/// deviation needs the window's values, so an update costs O(n) for an n-bar window.
/// </summary>
public sealed class CommodityChannelIndex(int period)
{
    private readonly RollingWindow _typical = new(period);
    private double _sum;

    public bool IsReady => _typical.IsFull;

    public double Current { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        var typical = (high + low + close) / 3;
        var full = _typical.IsFull;
        var leaving = _typical.Add(typical);
        _sum += typical - (full ? leaving : 0);
        if (!IsReady)
        {
            return;
        }

        var mean = _sum / _typical.Count;
        var deviation = 0.0;
        for (var i = 0; i < _typical.Count; i++)
        {
            deviation += Math.Abs(_typical[i] - mean);
        }

        deviation /= _typical.Count;
        Current = deviation > 0 ? (typical - mean) / (0.015 * deviation) : 0;
    }
}
