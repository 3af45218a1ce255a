using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingOrleans.Client.Api;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Cluster;

/// <summary>Real Silo processes on Redis and Kafka: one killed outright mid-stream, and a rolling restart of all.</summary>
public sealed class SiloProcessTests : IDisposable
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];
    private readonly RedisServer _redis = new();
    private readonly KafkaMockCluster _kafka = new();
    private readonly string _clusterId = $"processes-{Guid.NewGuid():N}";
    private readonly List<Process> _silos = [];
    private readonly Dictionary<string, List<Candle>> _bars =
        Symbols.ToDictionary(s => s, s => CandleCsvReader.Read(RepoData.File(s), TimeSpan.FromMinutes(5), (_, _) => { }).Take(600).ToList());

    public void Dispose()
    {
        foreach (var silo in _silos.Where(s => !s.HasExited))
        {
            silo.Kill(entireProcessTree: true);
        }

        _kafka.Dispose();
        _redis.Dispose();
    }

    /// <summary>Starts a Silo process and waits until it reports ready (it has joined the cluster).</summary>
    private async Task<Process> StartSilo()
    {
        var work = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        var httpPort = TestSettings.FreePort();
        var process = ChildProcess.StartDrained("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "TradingOrleans.Silo.dll"),
            "--Urls", $"http://127.0.0.1:{httpPort}",
            "--Trading:Cluster:Mode", "Cluster", "--Trading:Cluster:Redis", _redis.ConnectionString,
            "--Trading:Silo:ClusterId", _clusterId, "--Trading:Silo:Dashboard", "false",
            "--Trading:Silo:SiloPort", TestSettings.FreePort().ToString(), "--Trading:Silo:GatewayPort", TestSettings.FreePort().ToString(),
            "--Trading:Streaming:Provider", "Kafka", "--Trading:Streaming:Kafka:BootstrapServers", _kafka.BootstrapServers,
            "--Trading:Streaming:Kafka:ConsumerGroup", _clusterId,
            "--Trading:Replay:Enabled", "false", "--Trading:Audit:Path", Path.Combine(work, "audit.jsonl"),
            "--Trading:Strategies:DefaultSymbols:0", Symbols[0], "--Trading:Strategies:DefaultSymbols:1", Symbols[1],
            "--Logging:LogLevel:Default", "Warning"]);
        _silos.Add(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Returns(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{httpPort}/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready, TimeSpan.FromMinutes(1), what: "silo ready");
        return process;
    }

    private async Task<IHost> StartClient()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Trading:Cluster:Mode"] = "Cluster",
            ["Trading:Cluster:Redis"] = _redis.ConnectionString,
            ["Trading:Silo:ClusterId"] = _clusterId,
        });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.AddTradingClient(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task Produce(int from, int count)
    {
        using var producer = _kafka.CreateProducer();
        for (var i = from; i < from + count; i++)
        {
            foreach (var symbol in Symbols)
            {
                await producer.ProduceAsync("market_data", MarketDataKafkaCodec.Encode(MarketChannels.Namespace, _bars[symbol][i] with { IngestedAt = DateTimeOffset.UtcNow }));
            }
        }
    }

    private async Task WaitForBar(IGrainFactory grains, int index)
    {
        foreach (var symbol in Symbols)
        {
            await Eventually.ReturnsThroughFailover(() => grains.GetGrain<ISymbolGrain>(symbol).GetRecentCandles(1),
                c => c.Count == 1 && c[0].OpenTime >= _bars[symbol][index].OpenTime, TimeSpan.FromMinutes(2), what: $"{symbol} bar {index}");
        }
    }

    private static async Task AssertBooksBalance(IGrainFactory grains)
    {
        var orders = (await Task.WhenAll(Symbols.Select(s => grains.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        var fills = orders.SelectMany(o => o.Fills).ToList();
        Assert.NotEmpty(orders);
        Assert.Equal(orders.Count, orders.Select(o => o.Children[0].ClientOrderId).Distinct().Count());
        Reconciliation.AssertPortfolioMatchesFills(await grains.GetGrain<IPortfolioGrain>(0).GetSnapshot(), fills, Symbols);
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_no_bar_and_the_books_still_balance()
    {
        var first = await StartSilo();
        await StartSilo();
        using var client = await StartClient();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var management = grains.GetGrain<IManagementGrain>(0);
        await Eventually.ReturnsThroughFailover(() => management.GetHosts(onlyActive: true), h => h.Count == 2, TimeSpan.FromMinutes(1), what: "two silos");

        await Produce(0, 300);
        await WaitForBar(grains, 299);
        first.Kill(entireProcessTree: true);
        await Produce(300, 200);

        await WaitForBar(grains, 499);
        await AssertBooksBalance(grains);
    }

    [Fact]
    public async Task A_rolling_restart_of_every_silo_keeps_trading()
    {
        var silos = new[] { await StartSilo(), await StartSilo() };
        using var client = await StartClient();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var management = grains.GetGrain<IManagementGrain>(0);
        await Eventually.ReturnsThroughFailover(() => management.GetHosts(onlyActive: true), h => h.Count == 2, TimeSpan.FromMinutes(1), what: "two silos");

        var produced = 0;
        foreach (var old in silos)
        {
            await Produce(produced, 150);
            produced += 150;
            await StartSilo();
            await Eventually.ReturnsThroughFailover(() => management.GetHosts(onlyActive: true), h => h.Count == 3, TimeSpan.FromMinutes(1), what: "replacement silo");
            // SIGTERM: the silo shuts down gracefully, handing its grains and queues over.
            Process.Start("kill", ["-TERM", old.Id.ToString()])!.WaitForExit();
            await old.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await Eventually.ReturnsThroughFailover(() => management.GetHosts(onlyActive: true), h => h.Count == 2, TimeSpan.FromMinutes(1), what: "old silo gone");
        }

        await Produce(produced, 150);
        await WaitForBar(grains, produced + 149);
        await AssertBooksBalance(grains);
        await AssertTheApiReadsTheClustersTrail(grains);
    }

    /// <summary>
    /// The API as a client of the cluster answers audit reads and the trade report from its copy of the audit topic:
    /// every order of every silo, the replaced ones included, is in both.
    /// </summary>
    private async Task AssertTheApiReadsTheClustersTrail(IGrainFactory grains)
    {
        var orders = (await Task.WhenAll(Symbols.Select(s => grains.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Cluster:Mode"] = "Cluster";
        settings["Trading:Cluster:Redis"] = _redis.ConnectionString;
        settings["Trading:Silo:ClusterId"] = _clusterId;
        settings["Trading:Streaming:Provider"] = "Kafka";
        settings["Trading:Streaming:Kafka:BootstrapServers"] = _kafka.BootstrapServers;
        await using var api = new TradingApiFactory(settings);
        using var http = api.CreateClient(ApiRole.Admin);

        var audited = await Eventually.Returns(
            () => http.GetFromJsonAsync<List<JsonElement>>("/api/v1/audit?type=order&limit=10000")!,
            events => orders.All(o => events!.Any(e => e.GetProperty("id").GetString() == o.OrderId)), TimeSpan.FromMinutes(1), what: "every order in the API's copy");
        Assert.All(audited!, e => Assert.Equal("order", e.GetProperty("type").GetString()));
        var report = await http.GetFromJsonAsync<List<JsonElement>>("/api/v1/reports/trades");
        Assert.Equal(orders.Select(o => o.OrderId).Order(), report!.Select(r => r.GetProperty("orderId").GetString()!).Distinct().Order());

        // The API's own refusals go to the topic too, and so reach the copy.
        using var viewer = api.CreateClient(ApiRole.Viewer);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/reports/trades")).StatusCode);
        var refusal = await Eventually.Returns(
            () => http.GetFromJsonAsync<List<JsonElement>>("/api/v1/audit?type=api-refusal")!,
            events => events!.Count == 1, TimeSpan.FromSeconds(30), what: "the refusal in the API's copy");
        Assert.StartsWith("403 GET /api/v1/reports/trades", refusal![0].GetProperty("summary").GetString());
    }
}
