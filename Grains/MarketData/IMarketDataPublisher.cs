using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Where feeds put normalised market data: the <c>market</c> channel (embedded) or stream (cluster).</summary>
public interface IMarketDataPublisher
{
    /// <summary>Completes once the symbol's grain has processed the bar, so a feed is back-pressured and ordered.</summary>
    Task PublishAsync(Candle candle);

    Task PublishAsync(MarketTick tick);

    Task PublishAsync(Quote quote);
}
