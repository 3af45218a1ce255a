namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// MFI: TP = (H + L + C) / 3, raw flow = TP × volume, positive when TP rose and negative when it fell; over n
/// bars MFI = 100 − 100 / (1 + positive flow / negative flow).
/// </summary>
public sealed class MoneyFlowIndex(int period)
{
    private readonly RollingWindow _positive = new(period);
    private readonly RollingWindow _negative = new(period);
    private double _previousTypical = double.NaN;
    private double _positiveSum;
    private double _negativeSum;

    public bool IsReady => _positive.IsFull;

    public double Current { get; private set; } = double.NaN;

    public void Update(double high, double low, double close, double volume)
    {
        var typical = (high + low + close) / 3;
        if (double.IsNaN(_previousTypical))
        {
            _previousTypical = typical;
            return;
        }

        var flow = typical * volume;
        var (positive, negative) = typical > _previousTypical ? (flow, 0.0) : typical < _previousTypical ? (0.0, flow) : (0.0, 0.0);
        _previousTypical = typical;
        var full = _positive.IsFull;
        var leavingPositive = _positive.Add(positive);
        var leavingNegative = _negative.Add(negative);
        _positiveSum += positive - (full ? leavingPositive : 0);
        _negativeSum += negative - (full ? leavingNegative : 0);
        if (IsReady)
        {
            Current = _negativeSum <= 0 ? (_positiveSum <= 0 ? 50 : 100) : 100 - 100 / (1 + _positiveSum / _negativeSum);
        }
    }
}
