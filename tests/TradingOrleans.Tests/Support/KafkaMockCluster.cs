using Confluent.Kafka;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka wire protocol on 127.0.0.1, started by a producer handle and
/// alive as long as it. Topics are auto-created with 4 partitions on first use.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;

    public KafkaMockCluster(int brokers = 1)
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new ProducerBuilder<byte[], byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        BootstrapServers = string.Join(",", admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public string BootstrapServers { get; }

    /// <summary>A plain producer, as an outside system (the ingest service, kcat) would use.</summary>
    public IProducer<string, byte[]> CreateProducer() =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 0, EnableIdempotence = true }).Build();

    public void Dispose() => _owner.Dispose();
}
