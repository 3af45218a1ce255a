namespace TradingOrleans.Grains.Indicators;

/// <summary>Stochastic oscillator: %K = 100 (C − LL) / (HH − LL) over n bars, %D = SMA(%K, d).</summary>
public sealed class Stochastic(int period, int smoothing)
{
    private readonly RollingExtreme _high = new(period, highest: true);
    private readonly RollingExtreme _low = new(period, highest: false);
    private readonly SimpleMovingAverage _d = new(smoothing);

    public bool IsReady => _d.IsReady;

    public double K { get; private set; } = double.NaN;

    public double D => _d.Current;

    public void Update(double high, double low, double close)
    {
        _high.Update(high);
        _low.Update(low);
        if (_high.IsReady)
        {
            var range = _high.Current - _low.Current;
            K = range > 0 ? 100 * (close - _low.Current) / range : 50;
            _d.Update(K);
        }
    }
}
