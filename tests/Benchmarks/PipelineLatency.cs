using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// Replays real bars through the whole pipeline in one process (feed → market stream → grains → paper broker) and
/// reports the tick-to-order latency of every order, measured from each order's ingest timestamp.
/// </summary>
public static class PipelineLatency
{
    public sealed record Result(
        string Stream, int Symbols, int Bars, double SpeedMultiplier, double Seconds, double BarsPerSecond, int Orders,
        double P50Microseconds, double P90Microseconds, double P99Microseconds, double MaxMicroseconds);

    public static async Task<Result> RunAsync(string stream, string[] symbols, DateTimeOffset from, DateTimeOffset to, double speed)
    {
        using var kafka = stream == "kafka" ? MockKafka.Start() : null;
        var database = Path.Combine(Path.GetTempPath(), "trading-orleans-bench", Guid.NewGuid().ToString("N"), "bench.db");
        var settings = new Dictionary<string, string?>
        {
            ["Trading:Storage:SqlitePath"] = database,
            ["Trading:Silo:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Trading:Silo:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Trading:Audit:Path"] = Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl"),
            ["Trading:Silo:Dashboard"] = "false",
            ["Trading:Replay:SpeedMultiplier"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Trading:Replay:From"] = from.ToString("O"),
            ["Trading:Replay:To"] = to.ToString("O"),
            ["Trading:Streaming:Provider"] = stream == "kafka" ? "Kafka" : "Broadcast",
            ["Trading:Streaming:Kafka:BootstrapServers"] = kafka?.BootstrapServers,
        };
        for (var i = 0; i < symbols.Length; i++)
        {
            settings[$"Trading:Replay:Symbols:{i}"] = symbols[i];
            settings[$"Trading:Strategies:DefaultSymbols:{i}"] = symbols[i];
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();

        var stopwatch = Stopwatch.StartNew();
        await host.Services.GetRequiredService<ReplayService>().Completion;
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        // With Kafka the feed finishes when the broker has the last bar; give the grains a moment to drain.
        if (stream == "kafka")
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        stopwatch.Stop();
        var orders = (await Task.WhenAll(symbols.Select(s => grains.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        await host.StopAsync();

        var latencies = orders.Select(o => o.TickToOrderLatency!.Value.TotalMicroseconds).Order().ToArray();
        var bars = (int)((to - from) / TimeSpan.FromMinutes(5)) * symbols.Length;
        double Percentile(double p) => NearestRank.Of(latencies, p);
        return new Result(stream, symbols.Length, bars, speed, stopwatch.Elapsed.TotalSeconds, bars / stopwatch.Elapsed.TotalSeconds, orders.Count,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), latencies.LastOrDefault(double.NaN));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
