using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>Ready when the brokers answer a metadata request for the market-data topic.</summary>
public sealed class KafkaHealthCheck(IOptionsMonitor<KafkaStreamOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Get(Interfaces.MarketData.MarketChannels.ProviderName);
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = settings.BootstrapServers }).Build();
            var metadata = admin.GetMetadata(settings.Topic, TimeSpan.FromSeconds(3));
            return Task.FromResult(metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} brokers")
                : HealthCheckResult.Unhealthy("no broker answered"));
        }
        catch (KafkaException exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Kafka metadata request failed", exception));
        }
    }
}
