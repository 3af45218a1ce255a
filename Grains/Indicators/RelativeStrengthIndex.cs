namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Wilder's RSI: the first average gain and loss are simple means over <see cref="Period"/> changes, later ones
/// are smoothed as (previous × (n − 1) + current) / n. RSI = 100 − 100 / (1 + average gain / average loss).
/// </summary>
public sealed class RelativeStrengthIndex
{
    private double _previous = double.NaN;
    private double _averageGain;
    private double _averageLoss;
    private int _changes;

    public RelativeStrengthIndex(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        Period = period;
    }

    public int Period { get; }

    /// <summary>Ready after <see cref="Period"/> price changes, i.e. <see cref="Period"/> + 1 values.</summary>
    public bool IsReady => _changes >= Period;

    /// <summary>RSI in [0, 100] once ready; NaN before.</summary>
    public double Current { get; private set; } = double.NaN;

    public void Update(double value)
    {
        if (double.IsNaN(_previous))
        {
            _previous = value;
            return;
        }

        var change = value - _previous;
        _previous = value;
        var gain = Math.Max(change, 0);
        var loss = Math.Max(-change, 0);
        _changes++;

        if (_changes <= Period)
        {
            _averageGain += gain / Period;
            _averageLoss += loss / Period;
        }
        else
        {
            _averageGain = (_averageGain * (Period - 1) + gain) / Period;
            _averageLoss = (_averageLoss * (Period - 1) + loss) / Period;
        }

        if (IsReady)
        {
            Current = _averageLoss == 0
                ? (_averageGain == 0 ? 50 : 100)
                : 100 - 100 / (1 + _averageGain / _averageLoss);
        }
    }
}
