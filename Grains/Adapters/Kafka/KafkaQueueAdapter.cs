using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>Produces stream events to Kafka (one record per event, partition = the stream's queue) and creates partition receivers.</summary>
public sealed class KafkaQueueAdapter(
    string name,
    KafkaStreamOptions options,
    IStreamQueueMapper queueMapper,
    TradingMetrics metrics,
    ILoggerFactory loggerFactory) : IQueueAdapter, IDisposable
{
    private readonly Lazy<IProducer<string, byte[]>> _producer = new(() => new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = options.BootstrapServers,
        // Idempotent producer: retries after a lost ack never duplicate or reorder a record.
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = options.LingerMs,
        AllowAutoCreateTopics = true,
    }).Build());

    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaQueueAdapter>();

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var partition = new Partition((int)queueMapper.GetQueueForStream(streamId).GetNumericId());
        var topicPartition = new TopicPartition(options.Topic, partition);
        var streamNamespace = streamId.GetNamespace() ?? "";
        foreach (var item in events)
        {
            var record = MarketDataKafkaCodec.Encode(streamNamespace, item!);
            if (options.AwaitDelivery)
            {
                await _producer.Value.ProduceAsync(topicPartition, record);
            }
            else
            {
                // Queued in order now; the delivery report arrives on librdkafka's thread.
                _producer.Value.Produce(topicPartition, record, OnDelivered);
            }
        }
    }

    private void OnDelivered(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            metrics.KafkaProduceFailed(report.Topic);
            _logger.LogError("Kafka delivery of {Key} to {TopicPartition} failed: {Reason}", report.Message.Key, report.TopicPartition, report.Error.Reason);
        }
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaQueueAdapterReceiver(options, (int)queueId.GetNumericId(), metrics,
            loggerFactory.CreateLogger($"{typeof(KafkaQueueAdapterReceiver).FullName}.{name}.{queueId.GetNumericId()}"));

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
