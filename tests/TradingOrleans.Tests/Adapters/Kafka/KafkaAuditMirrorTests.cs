using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Kafka;

/// <summary>
/// The cluster-mode API's copy of the audit topic, against librdkafka's mock cluster: what two silos write arrives once
/// in the copy, a malformed message is skipped, and a restarted copy goes on from where it stopped.
/// </summary>
public sealed class KafkaAuditMirrorTests : IDisposable
{
    private readonly KafkaMockCluster _kafka = new();
    private readonly string _auditPath = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "api-audit.jsonl");

    public void Dispose() => _kafka.Dispose();

    private Dictionary<string, string?> Settings(string auditPath) => new()
    {
        ["Trading:Streaming:Provider"] = "Kafka",
        ["Trading:Streaming:Kafka:BootstrapServers"] = _kafka.BootstrapServers,
        ["Trading:Audit:Path"] = auditPath,
    };

    /// <summary>A host with what the cluster-mode API registers for its audit trail.</summary>
    private async Task<IHost> StartApiAudit()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(_auditPath));
        builder.Logging.ClearProviders();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<TradingMetrics>();
        Assert.True(builder.Services.AddClusterAuditTrail(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>A silo's Kafka audit sink, as the API's registration builds it; disposing it flushes what it holds.</summary>
    private ServiceProvider Silo()
    {
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<TradingMetrics>();
        services.AddClusterAuditTrail(new ConfigurationBuilder().AddInMemoryCollection(Settings(_auditPath)).Build());
        return services.BuildServiceProvider();
    }

    private static AuditEvent Event(int n, string symbol) =>
        new(DateTimeOffset.UnixEpoch.AddMinutes(n), AuditEventTypes.Fill, symbol, $"fill-{n}", $"fill {n} on {symbol}", null, AuditActor.System);

    private static async Task<IReadOnlyList<AuditEvent>> Copied(IHost api, int expected) =>
        await Eventually.Returns(
            () => api.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery(null, null, null, null, 10_000), CancellationToken.None),
            events => events.Count >= expected, TimeSpan.FromSeconds(30), what: $"{expected} copied events");

    [Fact]
    public async Task Two_silos_events_reach_the_copy_once_a_malformed_message_is_skipped_and_a_restart_goes_on()
    {
        using (var first = Silo())
        using (var second = Silo())
        {
            // A symbol's grains live on one silo at a time: here BTCUSDT's on the first, ETHUSDT's on the second.
            for (var n = 0; n < 30; n++)
            {
                var btc = n % 3 == 0;
                (btc ? first : second).GetRequiredService<IAuditSink>().Write(Event(n, btc ? "BTCUSDT" : "ETHUSDT"));
            }
        }

        using (var producer = _kafka.CreateProducer())
        {
            await producer.ProduceAsync("trades", new Message<string, byte[]> { Key = "BTCUSDT", Value = Encoding.UTF8.GetBytes("{not json") });
            await producer.ProduceAsync("trades", new Message<string, byte[]> { Key = "BTCUSDT", Value = Encoding.UTF8.GetBytes("[1, 2]") });
        }

        using (var api = await StartApiAudit())
        {
            var copied = await Copied(api, 30);
            Assert.Equal(Enumerable.Range(0, 30).Select(n => $"fill-{n}").Order(), copied.Select(e => e.Id!).Order());
            // Each symbol's events keep the order they were written in (the topic's key is the symbol).
            foreach (var symbol in new[] { "BTCUSDT", "ETHUSDT" })
            {
                var times = copied.Where(e => e.Symbol == symbol).Select(e => e.At).Reverse().ToList();
                Assert.Equal(times.Order(), times);
            }

            await api.StopAsync();
        }

        using (var silo = Silo())
        {
            silo.GetRequiredService<IAuditSink>().Write(Event(30, "BTCUSDT"));
        }

        using (var restarted = await StartApiAudit())
        {
            var copied = await Copied(restarted, 31);
            Assert.Equal("fill-30", copied[0].Id);
            // Nothing copied twice: the committed position was where the first copy's file ends.
            await Task.Delay(TimeSpan.FromSeconds(1));
            copied = await restarted.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery(null, null, null, null, 10_000), CancellationToken.None);
            Assert.Equal(31, copied.Count);
            Assert.Equal(31, copied.Select(e => e.Id).Distinct().Count());
            await restarted.StopAsync();
        }
    }
}
