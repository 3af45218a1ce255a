namespace TradingOrleans.Grains.Indicators;

/// <summary>Granville's OBV: the running sum of volume, added on up closes and subtracted on down closes.</summary>
public sealed class OnBalanceVolume
{
    private double _previousClose = double.NaN;

    public bool IsReady => !double.IsNaN(_previousClose);

    public double Current { get; private set; }

    public void Update(double close, double volume)
    {
        if (!double.IsNaN(_previousClose))
        {
            Current += Math.Sign(close - _previousClose) * volume;
        }

        _previousClose = close;
    }
}
