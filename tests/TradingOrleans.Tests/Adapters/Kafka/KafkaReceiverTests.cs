using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Kafka;

/// <summary>The partition receiver on its own, against librdkafka's mock cluster: waiting for records, skipping, committing.</summary>
public sealed class KafkaReceiverTests : IAsyncLifetime
{
    private const string Topic = "receiver_test";
    private readonly KafkaMockCluster _kafka = new();
    private readonly IProducer<string, byte[]> _producer;
    private readonly KafkaStreamOptions _options;
    private readonly KafkaQueueAdapterReceiver _receiver;

    public KafkaReceiverTests()
    {
        _producer = _kafka.CreateProducer();
        _options = new KafkaStreamOptions
        {
            BootstrapServers = _kafka.BootstrapServers,
            Topic = Topic,
            ConsumerGroup = "receiver-test",
            // Long against the mock's produce-to-consume time under a loaded full run (300 ms was once too short), so a
            // read that returns at the record's arrival is told apart from one that ran out its idle wait.
            MaxIdleWait = TimeSpan.FromSeconds(1),
            CommitIntervalMs = 50,
        };
        _receiver = new KafkaQueueAdapterReceiver(_options, partition: 0, TestMetrics.Create(), NullLogger.Instance);
    }

    public async Task InitializeAsync()
    {
        // The partition must exist before the receiver asks for its committed offset.
        await Produce(Bar(0));
        await _receiver.Initialize(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _receiver.Shutdown(TimeSpan.FromSeconds(5));
        _producer.Dispose();
        _kafka.Dispose();
    }

    [Fact]
    public async Task A_read_waits_for_the_next_record_and_hands_it_over_as_soon_as_it_arrives()
    {
        Assert.Single(await Read(expected: 1));

        var read = _receiver.GetQueueMessagesAsync(100, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        var produced = Stopwatch.StartNew();
        await Produce(Bar(1));
        var records = await read;

        var record = Assert.IsType<KafkaBatchContainer>(Assert.Single(records));
        Assert.Equal(101m, Assert.IsType<Candle>(record.Record).Close);
        Assert.True(produced.Elapsed < _options.MaxIdleWait, $"handed over after {produced.Elapsed.TotalMilliseconds} ms, not at the record's arrival");
    }

    [Fact]
    public async Task An_idle_read_returns_empty_after_the_idle_wait_and_a_cancelled_one_at_once()
    {
        Assert.Single(await Read(expected: 1));

        var idle = Stopwatch.StartNew();
        Assert.Empty(await _receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        Assert.InRange(idle.Elapsed, _options.MaxIdleWait * 0.9, _options.MaxIdleWait * 10);

        using var shutdown = new CancellationTokenSource();
        var read = _receiver.GetQueueMessagesAsync(100, shutdown.Token);
        await shutdown.CancelAsync();
        Assert.Empty(await read.WaitAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_malformed_record_is_committed_past_only_once_the_records_before_it_are_delivered()
    {
        await Produce(MalformedRecord());
        await Produce(Bar(2));
        var records = await Read(expected: 2);
        Assert.Equal([0L, 2L], records.Select(r => r.Offset));

        // Nothing delivered yet: the skipped record at 1 must not be committed over the undelivered record at 0, however
        // many background commits pass.
        await _receiver.MessagesDeliveredAsync([], CancellationToken.None);
        await Task.Delay(_options.CommitIntervalMs * 6);
        Assert.Equal(Offset.Unset, CommittedOffset(_options.ConsumerGroup));

        await _receiver.MessagesDeliveredAsync([records[0]], CancellationToken.None);
        await Eventually.Returns(() => Task.FromResult(CommittedOffset(_options.ConsumerGroup)), offset => offset == 2, TimeSpan.FromSeconds(10), "the commit past the skipped record");

        await _receiver.MessagesDeliveredAsync([records[1]], CancellationToken.None);
        await Eventually.Returns(() => Task.FromResult(CommittedOffset(_options.ConsumerGroup)), offset => offset == 3, TimeSpan.FromSeconds(10), "the commit of the last record");
    }

    [Fact]
    public async Task Delivered_offsets_are_committed_in_the_background_and_at_shutdown_never_by_the_agent_s_call()
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = _kafka.BootstrapServers,
            Topic = Topic,
            ConsumerGroup = "receiver-test-shutdown",
            MaxIdleWait = TimeSpan.FromSeconds(1),
            CommitIntervalMs = 60_000,
        };
        var receiver = new KafkaQueueAdapterReceiver(options, partition: 0, TestMetrics.Create(), NullLogger.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(10));
        try
        {
            var records = await Read(expected: 1, receiver);
            await receiver.MessagesDeliveredAsync([records[0]], CancellationToken.None);

            // Stored, not committed: the agent's call did not wait for the broker, and no background commit is due yet.
            await Task.Delay(300);
            Assert.Equal(Offset.Unset, CommittedOffset(options.ConsumerGroup));
        }
        finally
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(1, CommittedOffset(options.ConsumerGroup).Value);
    }

    private async Task<List<KafkaBatchContainer>> Read(int expected, KafkaQueueAdapterReceiver? receiver = null)
    {
        var records = new List<KafkaBatchContainer>();
        var deadline = Stopwatch.StartNew();
        while (records.Count < expected && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            records.AddRange((await (receiver ?? _receiver).GetQueueMessagesAsync(100, CancellationToken.None)).Cast<KafkaBatchContainer>());
        }

        Assert.Equal(expected, records.Count);
        return records;
    }

    private Task Produce(Message<string, byte[]> message) => _producer.ProduceAsync(new TopicPartition(Topic, 0), message);

    private static Message<string, byte[]> Bar(int index) => MarketDataKafkaCodec.Encode(MarketChannels.Namespace,
        new Candle("BTCUSDT", TimeSpan.FromMinutes(1), DateTimeOffset.UnixEpoch.AddMinutes(index), 100 + index, 100 + index, 100 + index, 100 + index, 1, DateTimeOffset.UtcNow));

    private static Message<string, byte[]> MalformedRecord() => new()
    {
        Key = "BTCUSDT",
        Value = "{\"symbol\":"u8.ToArray(),
        Headers = new Headers { { MarketDataKafkaCodec.TypeHeader, "candle"u8.ToArray() } },
    };

    private Offset CommittedOffset(string group)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = group }).Build();
        return consumer.Committed([new TopicPartition(Topic, 0)], TimeSpan.FromSeconds(10)).Single().Offset;
    }
}
