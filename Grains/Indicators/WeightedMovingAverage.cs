namespace TradingOrleans.Grains.Indicators;

/// <summary>Linearly weighted mean of the last n values (weights n for the newest down to 1), O(1) per value.</summary>
public sealed class WeightedMovingAverage(int period)
{
    private readonly RollingWindow _window = new(period);
    private readonly double _weightSum = period * (period + 1) / 2.0;
    private double _sum;
    private double _weighted;

    public bool IsReady => _window.IsFull;

    public double Current => IsReady ? _weighted / _weightSum : double.NaN;

    public void Update(double value)
    {
        var full = _window.IsFull;
        var leaving = _window.Add(value);
        // Once full, every held value loses one weight step (the oldest drops to 0 and leaves); the new value
        // enters with the top weight.
        _weighted += _window.Count * value - (full ? _sum : 0);
        _sum += value;
        if (full)
        {
            _sum -= leaving;
        }
    }
}
