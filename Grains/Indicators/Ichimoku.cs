namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Ichimoku: tenkan = midpoint of the last 9-bar range, kijun = of 26, senkou A = (tenkan + kijun) / 2 and
/// senkou B = midpoint of 52, both plotted 26 bars ahead — so the cloud under today's bar is the senkou values
/// computed 26 bars ago, which is what <see cref="CloudTop"/> and <see cref="CloudBottom"/> give.
/// </summary>
public sealed class Ichimoku(int conversion, int baseline, int span)
{
    private readonly RollingExtreme _conversionHigh = new(conversion, true);
    private readonly RollingExtreme _conversionLow = new(conversion, false);
    private readonly RollingExtreme _baseHigh = new(baseline, true);
    private readonly RollingExtreme _baseLow = new(baseline, false);
    private readonly RollingExtreme _spanHigh = new(span, true);
    private readonly RollingExtreme _spanLow = new(span, false);
    private readonly RollingWindow _leadA = new(baseline + 1);
    private readonly RollingWindow _leadB = new(baseline + 1);

    public bool IsReady => _leadB.IsFull;

    public double Tenkan { get; private set; } = double.NaN;

    public double Kijun { get; private set; } = double.NaN;

    public double CloudTop => Math.Max(_leadA[baseline], _leadB[baseline]);

    public double CloudBottom => Math.Min(_leadA[baseline], _leadB[baseline]);

    public void Update(double high, double low)
    {
        _conversionHigh.Update(high);
        _conversionLow.Update(low);
        _baseHigh.Update(high);
        _baseLow.Update(low);
        _spanHigh.Update(high);
        _spanLow.Update(low);
        if (!_spanHigh.IsReady)
        {
            return;
        }

        Tenkan = (_conversionHigh.Current + _conversionLow.Current) / 2;
        Kijun = (_baseHigh.Current + _baseLow.Current) / 2;
        _leadA.Add((Tenkan + Kijun) / 2);
        _leadB.Add((_spanHigh.Current + _spanLow.Current) / 2);
    }
}
