namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Least-squares slope of the last n closes against bar number, per bar, from running sums: with x = 0 … n − 1
/// for oldest … newest, Σx and Σx² are constant, and Σxy shifts by Σy − n·y_leaving each bar.
/// </summary>
public sealed class LinearRegressionSlope(int period)
{
    private readonly RollingWindow _window = new(period);
    private readonly double _sumX = period * (period - 1) / 2.0;
    private readonly double _sumXX = (period - 1) * period * (2.0 * period - 1) / 6;
    private double _sumY;
    private double _sumXY;

    public bool IsReady => _window.IsFull;

    public double Current => IsReady ? (period * _sumXY - _sumX * _sumY) / (period * _sumXX - _sumX * _sumX) : double.NaN;

    public void Update(double value)
    {
        var full = _window.IsFull;
        var count = _window.Count;
        var leaving = _window.Add(value);
        if (full)
        {
            // Every held value moves one step older (x − 1); the oldest (x = 0) leaves; the new one enters at n − 1.
            _sumXY += -(_sumY - leaving) + (period - 1) * value;
            _sumY += value - leaving;
        }
        else
        {
            _sumXY += count * value;
            _sumY += value;
        }
    }
}
