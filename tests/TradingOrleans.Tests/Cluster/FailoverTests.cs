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
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Cluster;

/// <summary>Two silos in cluster mode — Redis clustering, grain state and reminders, Kafka streams — and one of them stops mid-stream.</summary>
public sealed class FailoverTests : IDisposable
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];
    private readonly RedisServer _redis = new();
    private readonly KafkaMockCluster _kafka = new();

    public void Dispose()
    {
        _kafka.Dispose();
        _redis.Dispose();
    }

    private async Task<IHost> StartSilo(string clusterId, string name)
    {
        var work = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        var settings = TestSettings.For(Path.Combine(work, "unused.db"), replay: false, symbols: Symbols);
        settings["Trading:Cluster:Mode"] = "Cluster";
        settings["Trading:Cluster:Redis"] = _redis.ConnectionString;
        settings["Trading:Silo:ClusterId"] = clusterId;
        settings["Trading:Streaming:Provider"] = "Kafka";
        settings["Trading:Streaming:Kafka:BootstrapServers"] = _kafka.BootstrapServers;
        settings["Trading:Streaming:Kafka:ConsumerGroup"] = clusterId;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Environment.ApplicationName = name;
        builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static List<Candle> RealBars(string symbol, int count) =>
        [.. CandleCsvReader.Read(RepoData.File(symbol), TimeSpan.FromMinutes(5), (_, _) => { }).Take(count)];

    [Fact]
    public async Task A_silo_leaving_mid_stream_loses_no_bar_and_places_no_order_twice()
    {
        var clusterId = $"failover-{Guid.NewGuid():N}";
        using var first = await StartSilo(clusterId, "silo-a");
        using var second = await StartSilo(clusterId, "silo-b");
        var grains = second.Services.GetRequiredService<IGrainFactory>();
        var management = grains.GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await Eventually.Returns(() => management.GetHosts(onlyActive: true), h => h.Count == 2, TimeSpan.FromSeconds(30))).Count);
        using var producer = _kafka.CreateProducer();
        var bars = Symbols.ToDictionary(s => s, s => RealBars(s, 600));

        async Task Produce(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                foreach (var symbol in Symbols)
                {
                    await producer.ProduceAsync("market_data", MarketDataKafkaCodec.Encode(MarketChannels.Namespace, bars[symbol][i] with { IngestedAt = DateTimeOffset.UtcNow }));
                }
            }
        }

        async Task WaitForBar(int index)
        {
            foreach (var symbol in Symbols)
            {
                await Eventually.Returns(() => grains.GetGrain<ISymbolGrain>(symbol).GetRecentCandles(1),
                    c => c.Count == 1 && c[0].OpenTime >= bars[symbol][index].OpenTime, TimeSpan.FromSeconds(60), what: $"{symbol} bar {index}");
            }
        }

        // The default SMA votes from its 288th bar (a day): orders come before the failover, and after it once the new
        // activation has warmed up again.
        await Produce(0, 400);
        await WaitForBar(399);

        // Silo A leaves; its queues, grains and Kafka partitions move to silo B.
        await first.StopAsync();
        await Eventually.Returns(() => management.GetHosts(onlyActive: true), h => h.Count == 1, TimeSpan.FromSeconds(60), what: "silo A leaving");
        await Produce(400, 200);
        await WaitForBar(599);

        var orders = (await Task.WhenAll(Symbols.Select(s => grains.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        var portfolio = await grains.GetGrain<IPortfolioGrain>(0).GetSnapshot();
        var fills = orders.SelectMany(o => o.Fills).ToList();

        Assert.NotEmpty(orders);
        Assert.Equal(orders.Count, orders.Select(o => o.Children[0].ClientOrderId).Distinct().Count());
        Assert.Equal(fills.Count, fills.Select(f => f.FillId).Distinct().Count());
        Reconciliation.AssertPortfolioMatchesFills(portfolio, fills, Symbols);

        await second.StopAsync();
    }
}
