namespace TradingOrleans.Grains.Indicators;

/// <summary>Williams %R = −100 (HH − C) / (HH − LL) over n bars, in [−100, 0].</summary>
public sealed class WilliamsPercentR(int period)
{
    private readonly RollingExtreme _high = new(period, highest: true);
    private readonly RollingExtreme _low = new(period, highest: false);

    public bool IsReady => _high.IsReady;

    public double Current { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        _high.Update(high);
        _low.Update(low);
        if (IsReady)
        {
            var range = _high.Current - _low.Current;
            Current = range > 0 ? -100 * (_high.Current - close) / range : -50;
        }
    }
}
