using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>
/// Reads one Kafka partition for one Orleans queue: manual assignment at the committed offset, and commits only
/// for records the pulling agent reports delivered. A dedicated thread blocks in <c>Consume</c> and decodes each
/// record as it arrives, so a record waits for neither the agent's poll timer nor a decode on the agent's turn;
/// the agent's read waits (asynchronously, up to <see cref="KafkaStreamOptions.MaxIdleWait"/>) for the next
/// record instead of returning empty at once. Malformed records are counted, logged once per partition with their
/// offset, and skipped. Delivered offsets are stored as the agent reports them and committed by librdkafka in the
/// background (<see cref="KafkaStreamOptions.CommitIntervalMs"/>), and once more at shutdown.
/// </summary>
public sealed class KafkaQueueAdapterReceiver(
    KafkaStreamOptions options,
    int partition,
    TradingMetrics metrics,
    ILogger logger) : IQueueAdapterReceiver
{
    private readonly TopicPartition _topicPartition = new(options.Topic, new Partition(partition));

    // Bounded: when the agent falls behind, the reading thread waits, librdkafka's own queue fills and fetching pauses.
    private readonly Channel<KafkaBatchContainer> _decoded = Channel.CreateBounded<KafkaBatchContainer>(
        new BoundedChannelOptions(Math.Max(1, options.MaxBatchSize * 4)) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    // Skipped records, with the last decoded offset before each: one is committed past once that record is delivered.
    private readonly ConcurrentQueue<(long Skipped, long After)> _skipped = new();
    private IConsumer<string, byte[]>? _consumer;
    private CancellationTokenSource? _stopping;
    private Thread? _reader;
    private Task<bool>? _recordsArrived;
    private bool _malformedLogged;
    private long _stored = -1;

    public Task Initialize(TimeSpan timeout)
    {
        _consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup,
            // Only what the agent reported delivered is stored, and only what is stored is committed.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = options.CommitIntervalMs,
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

        _stopping = new CancellationTokenSource();
        var (consumer, stopping) = (_consumer, _stopping.Token);
        _reader = new Thread(() => ReadPartition(consumer, stopping)) { IsBackground = true, Name = $"kafka-{options.Topic}-{partition}" };
        _reader.Start();
        return Task.CompletedTask;
    }

    [Obsolete("The agent calls the overload with a cancellation token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = Math.Min(maxCount < 0 ? options.MaxBatchSize : maxCount, options.MaxBatchSize);
        var batch = new List<IBatchContainer>();
        if (_decoded.Reader.Count > 0 || await RecordsArrived(cancellationToken))
        {
            while (batch.Count < limit && _decoded.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            // A kept wait that completed for the records just read is spent: left completed, the next idle read would
            // return empty at once instead of waiting.
            if (_recordsArrived is { IsCompleted: true })
            {
                _recordsArrived = null;
            }
        }

        ReportLag();
        return batch;
    }

    [Obsolete("The agent calls the overload with a cancellation token.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        var delivered = messages.OfType<KafkaBatchContainer>().Select(m => m.Offset).DefaultIfEmpty(-1).Max();
        var next = delivered + 1;
        while (_skipped.TryPeek(out var skip) && skip.After <= delivered)
        {
            next = Math.Max(next, skip.Skipped + 1);
            _skipped.TryDequeue(out _);
        }

        if (next > 0 && next > _stored && _consumer is not null)
        {
            // Not a commit: a synchronous one held the agent's turn for the broker's round trip (4 ms p99 on the mock).
            _consumer.StoreOffset(new TopicPartitionOffset(_topicPartition, new Offset(next)));
            _stored = next;
        }

        return Task.CompletedTask;
    }

    public Task Shutdown(TimeSpan timeout)
    {
        _stopping?.Cancel();
        _reader?.Join(timeout);
        CommitStored();
        _consumer?.Close();
        _consumer?.Dispose();
        _consumer = null;
        _stopping?.Dispose();
        _stopping = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits for the reading thread's next record, at most <see cref="KafkaStreamOptions.MaxIdleWait"/>, so that an
    /// idle agent still gets back to its own work (purging its cache, committing) now and then.
    /// </summary>
    private async Task<bool> RecordsArrived(CancellationToken cancellationToken)
    {
        // One pending wait is kept across calls rather than a new one per idle read. A kept wait that completed with
        // nothing left to read is spent (its records were taken by a read that found them already decoded, before the
        // wait's completion showed): kept, it would make this idle read return empty at once instead of waiting.
        if (_recordsArrived is { IsCompleted: true } && _decoded.Reader.Count == 0)
        {
            _recordsArrived = null;
        }

        _recordsArrived ??= _decoded.Reader.WaitToReadAsync().AsTask();
        if (!_recordsArrived.IsCompleted)
        {
            await Task.WhenAny(_recordsArrived, Task.Delay(options.MaxIdleWait, cancellationToken));
        }

        if (!_recordsArrived.IsCompleted)
        {
            return false;
        }

        _recordsArrived = null;
        return true;
    }

    private void ReadPartition(IConsumer<string, byte[]> consumer, CancellationToken stopping)
    {
        var lastDecoded = -1L;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var result = consumer.Consume(stopping);
                if (MarketDataKafkaCodec.TryDecode(result.Message, out var streamNamespace, out var record, out var error))
                {
                    var container = new KafkaBatchContainer(StreamId.Create(streamNamespace, result.Message.Key), record, partition, result.Offset.Value);
                    if (!_decoded.Writer.TryWrite(container))
                    {
                        _decoded.Writer.WriteAsync(container, stopping).AsTask().GetAwaiter().GetResult();
                    }

                    lastDecoded = result.Offset.Value;
                }
                else
                {
                    Skip(result, error, lastDecoded);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (ConsumeException exception)
            {
                // librdkafka retries broker faults itself; what surfaces here is worth a line and a pause, not a dead reader.
                logger.LogWarning(exception, "Reading {Topic}[{Partition}] failed: {Reason}; retrying in a second", options.Topic, partition, exception.Error.Reason);
                stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>What was stored since the last background commit, committed now: a successor resumes right after it.</summary>
    private void CommitStored()
    {
        if (_consumer is null || _stored < 0)
        {
            return;
        }

        try
        {
            _consumer.Commit();
        }
        catch (KafkaException exception)
        {
            // Nothing stored since the last commit, or the broker unreachable: the successor is redelivered a little more.
            logger.LogDebug("Committing {Topic}[{Partition}] at shutdown: {Reason}", options.Topic, partition, exception.Error.Reason);
        }
    }

    private void ReportLag()
    {
        if (_consumer is not { } consumer)
        {
            return;
        }

        // The watermarks are the ones the last fetch brought back: no extra request to the broker. Records the reading
        // thread has decoded but the agent has not yet taken are still lag.
        var high = consumer.GetWatermarkOffsets(_topicPartition).High;
        var position = consumer.Position(_topicPartition);
        if (!high.IsSpecial && !position.IsSpecial)
        {
            metrics.ConsumerLag(options.Topic, partition, Math.Max(0, high.Value - position.Value) + _decoded.Reader.Count);
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

    private void Skip(ConsumeResult<string, byte[]> result, string error, long lastDecoded)
    {
        metrics.MalformedMarketData($"kafka:{options.Topic}");
        _skipped.Enqueue((result.Offset.Value, lastDecoded));
        if (!_malformedLogged)
        {
            logger.LogWarning("Skipped malformed record at {Topic}[{Partition}]@{Offset} (key '{Key}'): {Error}; further ones are only counted",
                options.Topic, partition, result.Offset.Value, result.Message.Key, error);
            _malformedLogged = true;
        }
    }
}
