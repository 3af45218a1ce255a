namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Wilder's parabolic stop-and-reverse, as TA-Lib computes it (<c>TA_SAR</c>), so it agrees with the charts traders
/// use. The SAR moves toward the extreme point (EP) of the trend by an acceleration factor that starts at
/// <c>step</c> and grows by it at each new EP up to <c>maximum</c>, and may not enter the prior two bars' range. A bar
/// that touches the SAR reverses the trend; the new SAR is the old EP, kept outside this bar's and the previous bar's
/// range. Start: the second bar's trend is short if its −DM beats its +DM, else long; its SAR is the first bar's low
/// (long) or high (short) and its EP its own high or low.
/// </summary>
public sealed class ParabolicSar(double step, double maximum)
{
    private double _next;
    private double _extreme;
    private double _acceleration;
    private double _previousHigh;
    private double _previousLow;
    private int _bars;

    public bool IsReady => _bars >= 2;

    /// <summary>The SAR of the latest bar: after a reversal, the new trend's.</summary>
    public double Current { get; private set; } = double.NaN;

    public bool IsLong { get; private set; }

    public void Update(double high, double low)
    {
        _bars++;
        if (_bars == 1)
        {
            (_previousHigh, _previousLow) = (high, low);
            return;
        }

        if (_bars == 2)
        {
            var minusDm = _previousLow - low;
            IsLong = !(minusDm > 0 && minusDm > high - _previousHigh);
            (_next, _extreme, _acceleration) = (IsLong ? _previousLow : _previousHigh, IsLong ? high : low, step);

            // TA-Lib then forgets the first bar: the second bar is its own "previous" bar in the range checks.
            (_previousHigh, _previousLow) = (high, low);
        }

        if (IsLong ? low <= _next : high >= _next)
        {
            Current = IsLong ? Math.Max(_extreme, Math.Max(_previousHigh, high)) : Math.Min(_extreme, Math.Min(_previousLow, low));
            (IsLong, _extreme, _acceleration) = (!IsLong, IsLong ? low : high, step);
        }
        else
        {
            Current = _next;
            if (IsLong ? high > _extreme : low < _extreme)
            {
                (_extreme, _acceleration) = (IsLong ? high : low, Math.Min(_acceleration + step, maximum));
            }
        }

        var next = Current + _acceleration * (_extreme - Current);
        _next = IsLong ? Math.Min(next, Math.Min(_previousLow, low)) : Math.Max(next, Math.Max(_previousHigh, high));
        (_previousHigh, _previousLow) = (high, low);
    }
}
