namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Kaufman's adaptive moving average: efficiency ratio ER = |C − C₋ₙ| / Σ|ΔC| over n bars; the smoothing
/// constant (ER × (2/(fast+1) − 2/(slow+1)) + 2/(slow+1))² moves the average fast in trends and barely in noise.
/// Seeded with the close at the first full window.
/// </summary>
public sealed class KaufmanAdaptiveMovingAverage(int period, int fast, int slow)
{
    private readonly RollingWindow _closes = new(period + 1);
    private readonly RollingWindow _changes = new(period);
    private readonly double _fastConstant = 2.0 / (fast + 1);
    private readonly double _slowConstant = 2.0 / (slow + 1);
    private double _volatility;

    public bool IsReady => !double.IsNaN(Current);

    public double Current { get; private set; } = double.NaN;

    public void Update(double close)
    {
        if (_closes.Count > 0)
        {
            var change = Math.Abs(close - _closes[0]);
            var full = _changes.IsFull;
            var leaving = _changes.Add(change);
            _volatility += change - (full ? leaving : 0);
        }

        _closes.Add(close);
        if (!_closes.IsFull)
        {
            return;
        }

        if (double.IsNaN(Current))
        {
            Current = close;
            return;
        }

        var efficiency = _volatility > 0 ? Math.Abs(close - _closes[period]) / _volatility : 0;
        var smoothing = Math.Pow(efficiency * (_fastConstant - _slowConstant) + _slowConstant, 2);
        Current += smoothing * (close - Current);
    }
}
