namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Heikin-Ashi candles: close = (O + H + L + C) / 4, open = (previous HA open + previous HA close) / 2 (the first
/// one (O + C) / 2), high = max(H, HA open, HA close), low = min(L, HA open, HA close).
/// </summary>
public sealed class HeikinAshi
{
    public bool IsReady { get; private set; }

    public double Open { get; private set; } = double.NaN;

    public double Close { get; private set; } = double.NaN;

    public double High { get; private set; } = double.NaN;

    public double Low { get; private set; } = double.NaN;

    public bool IsBullish => Close > Open;

    public void Update(double open, double high, double low, double close)
    {
        var haClose = (open + high + low + close) / 4;
        var haOpen = IsReady ? (Open + Close) / 2 : (open + close) / 2;
        (Open, Close) = (haOpen, haClose);
        High = Math.Max(high, Math.Max(haOpen, haClose));
        Low = Math.Min(low, Math.Min(haOpen, haClose));
        IsReady = true;
    }
}
