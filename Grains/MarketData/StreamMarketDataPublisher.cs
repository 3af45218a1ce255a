using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Streams;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Publishes market data to the persistent <c>market</c> stream (Kafka in cluster mode), one stream per symbol.</summary>
public sealed class StreamMarketDataPublisher(IClusterClient client) : IMarketDataPublisher
{
    private readonly IStreamProvider _provider = client.GetStreamProvider(MarketChannels.ProviderName);
    private readonly ConcurrentDictionary<string, IAsyncStream<object>> _streams = new(StringComparer.Ordinal);

    /// <summary>Completes when the broker has acknowledged the record (not when a grain has processed it).</summary>
    public Task PublishAsync(Candle candle) => Stream(candle.Symbol).OnNextAsync(candle);

    public Task PublishAsync(Quote quote) => Stream(quote.Symbol).OnNextAsync(quote);

    public Task PublishAsync(MarketTick tick) => Stream(tick.Symbol).OnNextAsync(tick);

    private IAsyncStream<object> Stream(string symbol) =>
        _streams.GetOrAdd(symbol, s => _provider.GetStream<object>(StreamId.Create(MarketChannels.Namespace, s)));
}
