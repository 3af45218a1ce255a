using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>Orleans persistent-stream adapter factory for Kafka: one queue per partition, a simple in-memory cache per queue.</summary>
public sealed class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly KafkaQueueAdapter _adapter;
    private readonly IStreamQueueMapper _queueMapper;
    private readonly IQueueAdapterCache _cache;

    private KafkaQueueAdapterFactory(string name, KafkaStreamOptions options, TradingMetrics metrics, ILoggerFactory loggerFactory)
    {
        _queueMapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.Partitions }, name);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggerFactory);
        _adapter = new KafkaQueueAdapter(name, options, _queueMapper, metrics, loggerFactory);
    }

    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name),
        services.GetRequiredService<TradingMetrics>(),
        services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(_adapter);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _queueMapper;

    // A record the agent could not deliver is not retried: market data is superseded by the next bar.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}
