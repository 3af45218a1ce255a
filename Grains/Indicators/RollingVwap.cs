namespace TradingOrleans.Grains.Indicators;

/// <summary>Volume-weighted average of the typical price (H + L + C) / 3 over the last n bars.</summary>
public sealed class RollingVwap(int period)
{
    private readonly RollingWindow _value = new(period);
    private readonly RollingWindow _volume = new(period);
    private double _valueSum;
    private double _volumeSum;

    public bool IsReady => _value.IsFull;

    public double Current => IsReady && _volumeSum > 0 ? _valueSum / _volumeSum : double.NaN;

    public void Update(double high, double low, double close, double volume)
    {
        var value = (high + low + close) / 3 * volume;
        var full = _value.IsFull;
        var leavingValue = _value.Add(value);
        var leavingVolume = _volume.Add(volume);
        _valueSum += value - (full ? leavingValue : 0);
        _volumeSum += volume - (full ? leavingVolume : 0);
    }
}
