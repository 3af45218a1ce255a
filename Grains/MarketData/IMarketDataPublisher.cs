using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Where feeds put normalised market data: the <c>market</c> channel (embedded) or stream (cluster).</summary>
public interface IMarketDataPublisher
{
    /// <summary>
    /// Completes once the symbol's grain has taken the bar and run its strategies, so a feed is back-pressured and
    /// ordered; the bar's order path follows without holding the feed (see <see cref="Interfaces.ISymbolGrain.OnCandle"/>).
    /// </summary>
    Task PublishAsync(Candle candle);

    /// <summary>
    /// Completes once the trade is on its way: delivered (Kafka: acknowledged or queued, per its settings) or, on the
    /// broadcast channel, queued in order on the symbol's lane — a feed does not wait for one symbol's grain while
    /// the other symbols' trades queue behind it.
    /// </summary>
    Task PublishAsync(MarketTick tick);

    Task PublishAsync(Quote quote);
}
