namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Wilder's ATR: true range max(H − L, |H − C₋₁|, |L − C₋₁|), first averaged simply over n bars, then smoothed as
/// (ATR₋₁ × (n − 1) + TR) / n. The first bar's true range is H − L.
/// </summary>
public sealed class AverageTrueRange(int period)
{
    private double _previousClose = double.NaN;
    private int _count;

    public bool IsReady => _count >= period;

    public double Current { get; private set; } = double.NaN;

    public double TrueRange { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        TrueRange = double.IsNaN(_previousClose)
            ? high - low
            : Math.Max(high - low, Math.Max(Math.Abs(high - _previousClose), Math.Abs(low - _previousClose)));
        _previousClose = close;
        _count++;
        Current = _count switch
        {
            1 => TrueRange,
            _ when _count <= period => Current + (TrueRange - Current) / _count,
            _ => (Current * (period - 1) + TrueRange) / period,
        };
    }
}
