using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>
/// The bars a symbol had before a point in time, from where its feed's bars come. A SymbolGrain activated again (a
/// restart, a failover) warms its strategies on them instead of re-learning from the feed: a one-day SMA would
/// otherwise stay silent for a day.
/// </summary>
public interface ICandleHistory
{
    /// <summary>The newest <paramref name="count"/> bars of <paramref name="symbol"/> opening at or before <paramref name="through"/>, oldest first.</summary>
    Task<IReadOnlyList<Candle>> Before(string symbol, DateTimeOffset through, int count, CancellationToken cancellationToken);
}
