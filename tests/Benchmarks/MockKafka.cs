using System.Diagnostics;
using Confluent.Kafka;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Benchmarks;

/// <summary>librdkafka's in-process mock cluster, so the Kafka path runs without a broker install.</summary>
public sealed class MockKafka : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;

    private MockKafka(IProducer<byte[], byte[]> owner, string bootstrapServers) => (_owner, BootstrapServers) = (owner, bootstrapServers);

    public string BootstrapServers { get; }

    public static MockKafka Start()
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", "1");
        var owner = new ProducerBuilder<byte[], byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
        var servers = string.Join(",", admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));

        // Create the topic before the silo starts, as a real deployment has it: otherwise the first seconds
        // measure librdkafka discovering a brand-new topic, not the pipeline.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers }).Build();
        var warmUp = new Candle("WARMUPUSDT", TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch, 1, 1, 1, 1, 1, DateTimeOffset.UtcNow);
        producer.Produce("market_data", MarketDataKafkaCodec.Encode("market", warmUp));
        producer.Flush(TimeSpan.FromSeconds(10));
        return new MockKafka(owner, servers);
    }

    /// <summary>
    /// The mock's own produce→consume latency, the floor under the Kafka path's tick-to-order: records sent at
    /// <paramref name="recordsPerSecond"/> for <paramref name="duration"/> on a topic of their own, by a producer and a
    /// consumer set up as the stream's (idempotent, acks=all, no linger; fetch wait 1 ms), each record stamped with the
    /// time it was due (so a late send counts, as the ticks' stamps do) and timed when consumed.
    /// </summary>
    public Floor MeasureFloor(double recordsPerSecond, TimeSpan duration)
    {
        const string Topic = "produce_consume_floor";
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 0,
        }).Build();
        producer.Produce(Topic, new Message<Null, byte[]> { Value = BitConverter.GetBytes(0L) }); // creates the topic
        producer.Flush(TimeSpan.FromSeconds(10));
        using var consumer = new ConsumerBuilder<Null, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers, GroupId = $"floor-{Guid.NewGuid():N}", EnableAutoCommit = false, FetchWaitMaxMs = 1, FetchMinBytes = 1,
        }).Build();
        // Every partition the mock gave the topic: the producer spreads the records over them, as the stream spreads symbols.
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        consumer.Assign(admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions
            .Select(p => new TopicPartitionOffset(Topic, p.PartitionId, Offset.Beginning)));

        var total = (long)(recordsPerSecond * duration.TotalSeconds);
        var latencies = new List<double>((int)total);
        using var reading = new ManualResetEventSlim();
        var consuming = Task.Run(() =>
        {
            var giveUpAt = Stopwatch.GetTimestamp() + (long)((duration.TotalSeconds + 10) * Stopwatch.Frequency);
            while (latencies.Count < total && Stopwatch.GetTimestamp() < giveUpAt)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100))?.Message.Value is not { } value)
                {
                    continue;
                }

                // The first record is the one that created the topic: the consumer is reading, the measured records may go.
                var due = BitConverter.ToInt64(value);
                if (due == 0)
                {
                    reading.Set();
                }
                else
                {
                    latencies.Add(Stopwatch.GetElapsedTime(due).TotalMicroseconds);
                }
            }
        });
        reading.Wait(TimeSpan.FromSeconds(30));

        var start = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < total; sent++)
        {
            var due = start + (long)(sent * Stopwatch.Frequency / recordsPerSecond);
            if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) > TimeSpan.FromMilliseconds(1))
            {
                Thread.Sleep(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due));
            }

            producer.Produce(Topic, new Message<Null, byte[]> { Value = BitConverter.GetBytes(due) });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        consuming.Wait();
        var sorted = latencies.Order().ToArray();
        return new Floor(recordsPerSecond, sorted.Length, NearestRank.Of(sorted, 0.5), NearestRank.Of(sorted, 0.99));
    }

    public void Dispose() => _owner.Dispose();

    /// <summary>The mock's produce→consume latency at a rate, measured on its own.</summary>
    public sealed record Floor(double RecordsPerSecond, int Records, double P50Microseconds, double P99Microseconds);
}
