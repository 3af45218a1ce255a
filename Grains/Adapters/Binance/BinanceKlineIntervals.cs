namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>Binance's kline intervals (rest-api.md, "Kline/Candlestick data"; case-sensitive) and the length of their bars.</summary>
public static class BinanceKlineIntervals
{
    /// <summary>Calendar months: the one interval whose bars differ in length.</summary>
    public const string Month = "1M";

    /// <summary>Every interval but <see cref="Month"/>, with its bar length.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> FixedLength = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1s"] = TimeSpan.FromSeconds(1),
        ["1m"] = TimeSpan.FromMinutes(1),
        ["3m"] = TimeSpan.FromMinutes(3),
        ["5m"] = TimeSpan.FromMinutes(5),
        ["15m"] = TimeSpan.FromMinutes(15),
        ["30m"] = TimeSpan.FromMinutes(30),
        ["1h"] = TimeSpan.FromHours(1),
        ["2h"] = TimeSpan.FromHours(2),
        ["4h"] = TimeSpan.FromHours(4),
        ["6h"] = TimeSpan.FromHours(6),
        ["8h"] = TimeSpan.FromHours(8),
        ["12h"] = TimeSpan.FromHours(12),
        ["1d"] = TimeSpan.FromDays(1),
        ["3d"] = TimeSpan.FromDays(3),
        ["1w"] = TimeSpan.FromDays(7),
    };
}
