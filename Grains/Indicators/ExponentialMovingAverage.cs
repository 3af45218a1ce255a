namespace TradingOrleans.Grains.Indicators;

/// <summary>Exponential moving average with α = 2 / (period + 1), seeded with the simple mean of the first <see cref="Period"/> values.</summary>
public sealed class ExponentialMovingAverage
{
    private readonly double _alpha;
    private double _seedSum;
    private int _count;

    public ExponentialMovingAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _alpha = 2.0 / (period + 1);
    }

    public int Period { get; }

    public bool IsReady => _count >= Period;

    /// <summary>The average once ready; NaN before.</summary>
    public double Current { get; private set; } = double.NaN;

    public void Update(double value)
    {
        _count++;
        if (_count < Period)
        {
            _seedSum += value;
        }
        else if (_count == Period)
        {
            Current = (_seedSum + value) / Period;
        }
        else
        {
            Current += _alpha * (value - Current);
        }
    }
}
