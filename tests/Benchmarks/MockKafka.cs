using Confluent.Kafka;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Benchmarks;

/// <summary>librdkafka's in-process mock cluster, so the Kafka path runs without a broker install.</summary>
internal sealed class MockKafka : IDisposable
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

    public void Dispose() => _owner.Dispose();
}
