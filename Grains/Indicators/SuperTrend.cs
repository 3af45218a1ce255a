namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// SuperTrend: bands at (H + L) / 2 ± k × ATR(n). The lower band only rises while price stays above it, the upper
/// only falls while price stays below it; the trend flips when the close crosses the band that guards it.
/// </summary>
public sealed class SuperTrend(int period, double multiplier)
{
    private readonly AverageTrueRange _atr = new(period);
    private double _upper = double.NaN;
    private double _lower = double.NaN;
    private double _previousClose;

    public bool IsReady => _atr.IsReady && !double.IsNaN(_upper);

    public bool IsUp { get; private set; } = true;

    /// <summary>The active band: the lower one in an up-trend, the upper one in a down-trend.</summary>
    public double Current => IsUp ? _lower : _upper;

    public void Update(double high, double low, double close)
    {
        _atr.Update(high, low, close);
        if (!_atr.IsReady)
        {
            _previousClose = close;
            return;
        }

        var middle = (high + low) / 2;
        var upper = middle + multiplier * _atr.Current;
        var lower = middle - multiplier * _atr.Current;
        if (!double.IsNaN(_upper))
        {
            upper = upper < _upper || _previousClose > _upper ? upper : _upper;
            lower = lower > _lower || _previousClose < _lower ? lower : _lower;
            IsUp = IsUp ? close >= lower : close > upper;
        }

        (_upper, _lower, _previousClose) = (upper, lower, close);
    }
}
