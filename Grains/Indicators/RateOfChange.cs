namespace TradingOrleans.Grains.Indicators;

/// <summary>Rate of change in percent: 100 (C − C₋ₙ) / C₋ₙ.</summary>
public sealed class RateOfChange(int period)
{
    private readonly RollingWindow _closes = new(period + 1);

    public bool IsReady => _closes.IsFull;

    public double Current => IsReady ? 100 * (_closes[0] - _closes[period]) / _closes[period] : double.NaN;

    public void Update(double close) => _closes.Add(close);
}
