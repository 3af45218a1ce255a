namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Wilder's parabolic stop-and-reverse. The SAR moves toward the extreme point (EP) of the trend by an
/// acceleration factor that starts at <c>step</c> and grows by it at each new EP up to <c>maximum</c>; it may not
/// enter the prior two bars' range; when price crosses it the trend reverses and the SAR restarts at the old EP.
/// The trend of the second bar is up if it closed above the first.
/// </summary>
public sealed class ParabolicSar(double step, double maximum)
{
    private double _extreme;
    private double _acceleration;
    private double _previousHigh = double.NaN;
    private double _previousLow;
    private double _olderHigh;
    private double _olderLow;
    private double _firstClose;
    private int _bars;

    public bool IsReady => _bars >= 2;

    public double Current { get; private set; } = double.NaN;

    public bool IsLong { get; private set; }

    public void Update(double high, double low, double close)
    {
        _bars++;
        if (_bars == 1)
        {
            (_previousHigh, _previousLow, _firstClose) = (high, low, close);
            (_olderHigh, _olderLow) = (high, low);
            return;
        }

        if (_bars == 2)
        {
            IsLong = close >= _firstClose;
            Current = IsLong ? Math.Min(low, _previousLow) : Math.Max(high, _previousHigh);
            _extreme = IsLong ? Math.Max(high, _previousHigh) : Math.Min(low, _previousLow);
            _acceleration = step;
            Shift(high, low);
            return;
        }

        var next = Current + _acceleration * (_extreme - Current);
        if (IsLong)
        {
            next = Math.Min(next, Math.Min(_previousLow, _olderLow));
            if (low < next)
            {
                (IsLong, Current, _extreme, _acceleration) = (false, _extreme, low, step);
            }
            else
            {
                Current = next;
                if (high > _extreme)
                {
                    (_extreme, _acceleration) = (high, Math.Min(_acceleration + step, maximum));
                }
            }
        }
        else
        {
            next = Math.Max(next, Math.Max(_previousHigh, _olderHigh));
            if (high > next)
            {
                (IsLong, Current, _extreme, _acceleration) = (true, _extreme, high, step);
            }
            else
            {
                Current = next;
                if (low < _extreme)
                {
                    (_extreme, _acceleration) = (low, Math.Min(_acceleration + step, maximum));
                }
            }
        }

        Shift(high, low);
    }

    private void Shift(double high, double low)
    {
        (_olderHigh, _olderLow) = (_previousHigh, _previousLow);
        (_previousHigh, _previousLow) = (high, low);
    }
}
