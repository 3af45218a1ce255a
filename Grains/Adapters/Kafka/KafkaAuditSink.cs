using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>
/// Publishes audit events to the Kafka topic <see cref="KafkaStreamOptions.AuditTopic"/> (JSON, keyed by symbol or
/// event type) so every silo of a cluster feeds one trail. Produce is asynchronous: the trading path never waits.
/// </summary>
public sealed class KafkaAuditSink : IAuditSink, IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _topic;
    private readonly ILogger<KafkaAuditSink> _logger;
    private int _failuresLogged;
    private int _disposed;

    public KafkaAuditSink(IOptionsMonitor<KafkaStreamOptions> options, ILogger<KafkaAuditSink> logger)
    {
        var settings = options.Get(Interfaces.MarketData.MarketChannels.ProviderName);
        _topic = settings.AuditTopic;
        _logger = logger;
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        }).Build();
    }

    public void Write(AuditEvent auditEvent)
    {
        var message = new Message<string, byte[]>
        {
            Key = auditEvent.Symbol ?? auditEvent.Type,
            Value = JsonSerializer.SerializeToUtf8Bytes(auditEvent, FileAuditTrail.Json),
        };
        _producer.Produce(_topic, message, report =>
        {
            if (report.Error.IsError && Interlocked.Increment(ref _failuresLogged) <= 10)
            {
                _logger.LogError("Audit event {Type} {Id} not written to {Topic}: {Error}", auditEvent.Type, auditEvent.Id, _topic, report.Error.Reason);
            }
        });
    }

    /// <summary>Sends what is queued (up to 5 s) and closes the producer; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
