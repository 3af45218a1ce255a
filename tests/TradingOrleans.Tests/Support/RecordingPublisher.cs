using System.Collections.Concurrent;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Tests.Support;

/// <summary>Keeps everything a feed publishes, in order, for tests of feeds without a silo.</summary>
public sealed class RecordingPublisher : IMarketDataPublisher
{
    private readonly ConcurrentQueue<object> _records = new();

    public IReadOnlyList<object> Records => [.. _records];

    public IReadOnlyList<Candle> Candles => [.. _records.OfType<Candle>()];

    public Task PublishAsync(Candle candle) => Record(candle);

    public Task PublishAsync(MarketTick tick) => Record(tick);

    public Task PublishAsync(Quote quote) => Record(quote);

    private Task Record(object record)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}
