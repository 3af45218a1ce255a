using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// Synthetic trades at a target rate over many symbols, each running many strategies, through the real pipeline
/// (broadcast channel, or Kafka on librdkafka's mock cluster → SymbolGrain bars → strategies → vote → risk → execution → paper broker). Tick-to-order
/// latency is measured from the ingest time of the trade that closed the bar behind each order.
/// </summary>
/// <remarks>
/// A trade's ingest time is when it was due on the schedule, not when the loop got round to publishing it: a publish
/// that waits on the pipeline delays every trade behind it, and stamping those at their publish would hide exactly that
/// wait (coordinated omission). Only the loop's own oversleep in <c>Task.Delay</c> is not charged to the pipeline: a
/// trade due before the loop woke counts from the wake-up.
/// </remarks>
public static class TickLoad
{
    /// <param name="Orders">Orders placed after the warm-up, the ones the percentiles describe.</param>
    /// <param name="Gen0Budget">The process's <c>DOTNET_GCgen0size</c>; null when it ran on the runtime's default.</param>
    public sealed record Result(
        string Stream,
        int Symbols, int StrategiesPerSymbol, double TargetTicksPerSecond, double AchievedTicksPerSecond, long Ticks, double Seconds,
        double WarmupSeconds, int Orders, double P50Microseconds, double P90Microseconds, double P99Microseconds, double P999Microseconds,
        double MaxMicroseconds, IReadOnlyDictionary<string, StageFigures> Stages, long AllocatedMegabytes, int Gen0Collections,
        int Gen1Collections, int Gen2Collections, double OrdersPerSecond, double AllocatedBytesPerTick, double GcPauseMilliseconds,
        IReadOnlyList<AllocationShare> TopAllocations, BurstCpuSampler.Figures Cpu, IReadOnlyDictionary<string, double>? GrainCallsPerOrder,
        ApiUnderLoad.Figures? ApiLoad, MockKafka.Floor? KafkaFloor, string? Gen0Budget);

    /// <summary>One pipeline stage's time per bar or signal after the warm-up (from the <c>trading.stage.duration</c> histogram).</summary>
    public sealed record StageFigures(long Count, double P50Microseconds, double P99Microseconds);

    public static async Task<Result> RunAsync(
        int symbolCount, double rate, int strategiesPerSymbol, TimeSpan duration, TimeSpan barInterval, TimeSpan warmup, string stream = "broadcast",
        bool awaitDelivery = true, bool profileAllocations = false, IReadOnlyDictionary<string, string?>? settings = null, bool countCalls = false, int apiClients = 0, double apiRequestsPerSecond = 0)
    {
        var calls = countCalls ? new GrainCallCounter() : null;
        using var kafka = stream == "kafka" ? MockKafka.Start() : null;
        var database = Path.Combine(Path.GetTempPath(), "trading-orleans-bench", Guid.NewGuid().ToString("N"), "bench.db");
        var configuration = new Dictionary<string, string?>
        {
            ["Trading:Storage:SqlitePath"] = database,
            ["Trading:Audit:Path"] = Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl"),
            ["Trading:Silo:SiloPort"] = FreePort(),
            ["Trading:Silo:GatewayPort"] = FreePort(),
            ["Trading:Silo:Dashboard"] = "false",
            ["Trading:Replay:Enabled"] = "false",
            ["Trading:Strategies:SeedDefaults"] = "false",
            ["Trading:MarketData:CandleInterval"] = barInterval.ToString("c", CultureInfo.InvariantCulture),
            // Many symbols at once: keep each position small so sizing never runs into the limits.
            ["Trading:Risk:PositionSizeFraction"] = "0.01",
            ["Trading:Risk:DailyLossFraction"] = "0",
            ["Trading:Risk:MaxDrawdownFraction"] = "0",

            // The wall-clock order throttle would cap the measured orders at 600 a minute: off for a latency benchmark.
            ["Trading:Risk:MaxOrdersPerMinute"] = "0",
            ["Trading:Streaming:Provider"] = kafka is null ? "Broadcast" : "Kafka",
            ["Trading:Streaming:Kafka:BootstrapServers"] = kafka?.BootstrapServers,
            ["Trading:Streaming:Kafka:AwaitDelivery"] = awaitDelivery.ToString(),
        };
        // Overrides from the command line (--set Key=Value) win over the harness's own settings.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        // With API clients the whole service runs — the API and its co-hosted silo, as `dotnet run --project Client.Api`
        // does — and otherwise the silo alone.
        await using var api = apiClients > 0 ? new ApiUnderLoad(configuration, calls) : null;
        using var host = api is null ? SiloHost(configuration, calls) : null;
        if (host is not null)
        {
            await host.StartAsync();
        }

        var services = api?.Start() ?? host!.Services;
        var grains = services.GetRequiredService<IGrainFactory>();
        var publisher = services.GetRequiredService<IMarketDataPublisher>();

        var symbols = Enumerable.Range(0, symbolCount).Select(i => $"SYM{i:D3}USDT").ToArray();
        foreach (var config in Strategies(symbols, strategiesPerSymbol))
        {
            await grains.GetGrain<IStrategyRegistryGrain>(0).Save(config);
        }

        var random = new Random(2026);
        var prices = symbols.ToDictionary(s => s, _ => 100.0);
        // Orders in the first seconds pay for grain activation and JIT compilation; they are left out of the figures.
        var measuredFrom = DateTimeOffset.UtcNow + warmup;
        calls?.CountFrom(measuredFrom);
        using var stopPolling = new CancellationTokenSource();
        var polling = api?.PollAsync(apiClients, apiRequestsPerSecond, symbols[0], measuredFrom, stopPolling.Token);
        using var stages = new StageRecorder(measuredFrom);
        // Opt-in: listening to the runtime's verbose GC events costs a little on every allocation tick.
        using var allocations = profileAllocations ? new AllocationSampler() : null;
        using var cpu = new BurstCpuSampler(measuredFrom);
        var (gen0, gen1, gen2, allocated) = (0, 0, 0, 0L);
        var (pausedBefore, ticksAtMeasure, measureStarted) = (TimeSpan.Zero, 0L, TimeSpan.Zero);
        var stopwatch = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var wokeAt = startedAt;
        long ticks = 0;
        while (stopwatch.Elapsed < duration)
        {
            // Pace against the target rate; when the pipeline cannot keep up, the achieved rate says so.
            var due = TimeSpan.FromSeconds(ticks / rate);
            if (due > stopwatch.Elapsed + TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due - stopwatch.Elapsed);
                wokeAt = DateTimeOffset.UtcNow;
            }

            if (allocated == 0 && DateTimeOffset.UtcNow >= measuredFrom)
            {
                (gen0, gen1, gen2, allocated) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
                (pausedBefore, ticksAtMeasure, measureStarted) = (GC.GetTotalPauseDuration(), ticks, stopwatch.Elapsed);
                allocations?.Start();
            }

            var symbol = symbols[ticks % symbols.Length];
            prices[symbol] *= 1 + (random.NextDouble() - 0.5) * 0.004;
            var arrived = Min(DateTimeOffset.UtcNow, Max(startedAt + due, wokeAt));
            await publisher.PublishAsync(new MarketTick(symbol, ticks, decimal.Round((decimal)prices[symbol], 4), 1m, arrived, arrived));
            ticks++;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        cpu.Stop();
        calls?.Stop();
        await stopPolling.CancelAsync();
        var apiLoad = polling is null ? null : await polling;
        var (gcAfter0, gcAfter1, gcAfter2, allocatedAfter) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        var measuredTicks = Math.Max(1, ticks - ticksAtMeasure);
        var measuredSeconds = Math.Max(1e-9, seconds - measureStarted.TotalSeconds);
        var orders = (await Task.WhenAll(symbols.Select(s => grains.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        if (host is not null)
        {
            await host.StopAsync();
        }

        // Kafka's own share, measured in the same run once the pipeline has stopped: the same rate on the same mock cluster.
        var kafkaFloor = kafka?.MeasureFloor(rate, duration < TimeSpan.FromSeconds(10) ? duration : TimeSpan.FromSeconds(10));
        var latencies = orders.Where(o => o.TickIngestedAt >= measuredFrom).Select(o => o.TickToOrderLatency!.Value.TotalMicroseconds).Order().ToArray();
        double Percentile(double p) => NearestRank.Of(latencies, p);
        return new Result(stream, symbolCount, strategiesPerSymbol, rate, ticks / seconds, ticks, seconds, warmup.TotalSeconds, latencies.Length,
            Percentile(0.5), Percentile(0.9), Percentile(0.99), Percentile(0.999), latencies.LastOrDefault(double.NaN),
            stages.Figures(), (allocatedAfter - allocated) / (1024 * 1024), gcAfter0 - gen0, gcAfter1 - gen1, gcAfter2 - gen2,
            latencies.Length / measuredSeconds, (double)(allocatedAfter - allocated) / measuredTicks, paused.TotalMilliseconds, allocations?.Top(15) ?? [],
            cpu.Result(latencies.Length), calls?.PerOrder(latencies.Length), apiLoad, kafkaFloor,
            // The service's launch settings set it (docs/performance.md): a run started without them measures the runtime's default.
            Environment.GetEnvironmentVariable("DOTNET_GCgen0size"));
    }

    private static IHost SiloHost(Dictionary<string, string?> configuration, GrainCallCounter? calls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.AddTradingSilo(builder.Configuration);
            if (calls is not null)
            {
                silo.AddIncomingGrainCallFilter(calls);
            }
        });
        return builder.Build();
    }

    /// <summary>Listens to the pipeline's stage-duration histogram (milliseconds) after the warm-up.</summary>
    private sealed class StageRecorder : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<double>> _values = new();

        public StageRecorder(DateTimeOffset from)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TradingOrleans.Grains.Observability.TradingMetrics.MeterName && instrument.Name == "trading.stage.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, _) =>
            {
                if (DateTimeOffset.UtcNow < from)
                {
                    return;
                }

                foreach (var tag in tags)
                {
                    if (tag.Key == "stage" && tag.Value is string stage)
                    {
                        _values.GetOrAdd(stage, _ => new()).Enqueue(milliseconds * 1_000);
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyDictionary<string, StageFigures> Figures() => _values.ToDictionary(
            stage => stage.Key,
            stage =>
            {
                var sorted = stage.Value.Order().ToArray();
                return new StageFigures(sorted.Length, NearestRank.Of(sorted, 0.5), NearestRank.Of(sorted, 0.99));
            });

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Half SMA crossovers, half RSI reversions, with different periods; each config covers every symbol.</summary>
    public static IEnumerable<StrategyConfig> Strategies(string[] symbols, int count) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? new StrategyConfig($"sma-{i}", StrategyCatalog.SmaCrossover, symbols, new Dictionary<string, double> { ["fast"] = 2 + i / 2, ["slow"] = 20 + i / 2 })
            : new StrategyConfig($"rsi-{i}", StrategyCatalog.RsiMeanReversion, symbols, new Dictionary<string, double> { ["period"] = 2 + i / 2 }));

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
