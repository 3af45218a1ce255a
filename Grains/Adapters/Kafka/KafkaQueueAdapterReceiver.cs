using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>
/// Reads one Kafka partition for one Orleans queue: manual assignment at the committed offset, non-blocking polls,
/// and commits only for records the pulling agent reports delivered. Malformed records are counted, logged once
/// per partition with their offset, and skipped.
/// </summary>
public sealed class KafkaQueueAdapterReceiver(
    KafkaStreamOptions options,
    int partition,
    TradingMetrics metrics,
    ILogger logger) : IQueueAdapterReceiver
{
    private readonly TopicPartition _topicPartition = new(options.Topic, new Partition(partition));
    private IConsumer<string, byte[]>? _consumer;
    private bool _malformedLogged;
    private long _lastSkipped = -1;

    public Task Initialize(TimeSpan timeout)
    {
        _consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = options.FetchWaitMaxMs,
            FetchMinBytes = 1,
            AllowAutoCreateTopics = true,
        }).Build();

        // Resume where the last delivered record left off; a new group (or topic) starts at the beginning of the partition.
        var committed = CommittedOffset(_consumer, timeout);
        var start = committed.IsSpecial ? Offset.Beginning : committed;
        _consumer.Assign(new TopicPartitionOffset(_topicPartition, start));
        logger.LogInformation("Reading {Topic}[{Partition}] from offset {Offset}", options.Topic, partition, start);
        return Task.CompletedTask;
    }

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("The receiver was not initialized.");
        var limit = Math.Min(maxCount < 0 ? options.MaxBatchSize : maxCount, options.MaxBatchSize);
        var batch = new List<IBatchContainer>();
        // librdkafka fetches in the background; a zero timeout only drains what has already arrived.
        while (batch.Count < limit && consumer.Consume(TimeSpan.Zero) is { } result)
        {
            if (MarketDataKafkaCodec.TryDecode(result.Message, out var streamNamespace, out var record, out var error))
            {
                batch.Add(new KafkaBatchContainer(StreamId.Create(streamNamespace, result.Message.Key), record, partition, result.Offset.Value));
            }
            else
            {
                Skip(result, error);
            }
        }

        ReportLag(consumer);
        return Task.FromResult<IList<IBatchContainer>>(batch);
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        var delivered = messages.OfType<KafkaBatchContainer>().Select(m => m.Offset).DefaultIfEmpty(-1).Max();
        var next = Math.Max(delivered, _lastSkipped) + 1;
        if (next > 0 && _consumer is not null)
        {
            _consumer.Commit([new TopicPartitionOffset(_topicPartition, new Offset(next))]);
        }

        return Task.CompletedTask;
    }

    public Task Shutdown(TimeSpan timeout)
    {
        _consumer?.Close();
        _consumer?.Dispose();
        _consumer = null;
        return Task.CompletedTask;
    }

    private void ReportLag(IConsumer<string, byte[]> consumer)
    {
        // The watermarks are the ones the last fetch brought back: no extra request to the broker.
        var high = consumer.GetWatermarkOffsets(_topicPartition).High;
        var position = consumer.Position(_topicPartition);
        if (!high.IsSpecial && !position.IsSpecial)
        {
            metrics.ConsumerLag(options.Topic, partition, Math.Max(0, high.Value - position.Value));
        }
    }

    private Offset CommittedOffset(IConsumer<string, byte[]> consumer, TimeSpan timeout)
    {
        try
        {
            return consumer.Committed([_topicPartition], timeout).Single().Offset;
        }
        catch (TopicPartitionOffsetException exception)
            when (exception.Results.All(r => r.Error.Code is Confluent.Kafka.ErrorCode.UnknownTopicOrPart or Confluent.Kafka.ErrorCode.Local_UnknownPartition or Confluent.Kafka.ErrorCode.Local_UnknownTopic))
        {
            // The topic does not exist yet (it is created by the first producer): nothing was ever committed.
            return Offset.Unset;
        }
    }

    private void Skip(ConsumeResult<string, byte[]> result, string error)
    {
        metrics.MalformedMarketData($"kafka:{options.Topic}");
        _lastSkipped = result.Offset.Value;
        if (!_malformedLogged)
        {
            logger.LogWarning("Skipped malformed record at {Topic}[{Partition}]@{Offset} (key '{Key}'): {Error}; further ones are only counted",
                options.Topic, partition, result.Offset.Value, result.Message.Key, error);
            _malformedLogged = true;
        }
    }
}
