using System.Collections.Concurrent;
using Orleans.BroadcastChannel;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Publishes market data on the Orleans broadcast channel, keyed by symbol (push delivery, microseconds).</summary>
public sealed class ChannelMarketDataPublisher(IClusterClient client) : IMarketDataPublisher
{
    private readonly IBroadcastChannelProvider _provider = client.GetBroadcastChannelProvider(MarketChannels.ProviderName);
    private readonly ConcurrentDictionary<string, IBroadcastChannelWriter<object>> _writers = new(StringComparer.Ordinal);

    public Task PublishAsync(Candle candle) => Writer(candle.Symbol).Publish(candle);

    public Task PublishAsync(Quote quote) => Writer(quote.Symbol).Publish(quote);

    public Task PublishAsync(MarketTick tick) => Writer(tick.Symbol).Publish(tick);

    // A static factory with the provider as state: a capturing lambda would allocate a delegate on every publish.
    private IBroadcastChannelWriter<object> Writer(string symbol) =>
        _writers.GetOrAdd(symbol, static (s, provider) => provider.GetChannelWriter<object>(ChannelId.Create(MarketChannels.Namespace, s)), _provider);
}
