namespace TradingOrleans.Grains.Indicators;

/// <summary>Keltner channel: EMA(n) of closes ± k × ATR(m).</summary>
public sealed class KeltnerChannel(int period, int atrPeriod, double width)
{
    private readonly ExponentialMovingAverage _middle = new(period);
    private readonly AverageTrueRange _atr = new(atrPeriod);

    public bool IsReady => _middle.IsReady && _atr.IsReady;

    public double Middle => _middle.Current;

    public double Upper => Middle + width * _atr.Current;

    public double Lower => Middle - width * _atr.Current;

    public void Update(double high, double low, double close)
    {
        _middle.Update(close);
        _atr.Update(high, low, close);
    }
}
