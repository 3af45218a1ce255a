namespace TradingOrleans.Grains.Indicators;

/// <summary>Alan Hull's moving average: WMA over √n of (2 × WMA(n/2) − WMA(n)); tracks price with little lag.</summary>
public sealed class HullMovingAverage(int period)
{
    private readonly WeightedMovingAverage _half = new(Math.Max(1, period / 2));
    private readonly WeightedMovingAverage _full = new(period);
    private readonly WeightedMovingAverage _smooth = new(Math.Max(1, (int)Math.Round(Math.Sqrt(period))));

    public bool IsReady => _smooth.IsReady;

    public double Current => _smooth.Current;

    public void Update(double value)
    {
        _half.Update(value);
        _full.Update(value);
        if (_full.IsReady)
        {
            _smooth.Update(2 * _half.Current - _full.Current);
        }
    }
}
