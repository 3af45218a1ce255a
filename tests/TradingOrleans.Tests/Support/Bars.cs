using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Tests.Support;

/// <summary>Hand-made five-minute bars for strategy tests.</summary>
public static class Bars
{
    public static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bars with the given closes (open = high = low = close), one every five minutes from <see cref="Start"/>.</summary>
    public static IReadOnlyList<Candle> FromCloses(string symbol, params decimal[] closes) =>
        [.. closes.Select((close, i) => new Candle(symbol, TimeSpan.FromMinutes(5), Start.AddMinutes(5 * i), close, close, close, close, 1m, Start))];
}
