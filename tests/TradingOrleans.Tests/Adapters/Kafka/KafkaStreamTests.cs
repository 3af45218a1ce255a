using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Kafka;

/// <summary>The Kafka stream provider against librdkafka's mock cluster, inside a real Orleans test cluster.</summary>
public sealed class KafkaStreamTests : IDisposable
{
    private const string Topic = "market_data";
    private readonly KafkaMockCluster _kafka = new();

    private static readonly StrategyConfig FastSma =
        new("sma-test", "sma-crossover", ["BTCUSDT", "ETHUSDT", "LTCUSDT"], new Dictionary<string, double> { ["fast"] = 2, ["slow"] = 3 });

    public void Dispose() => _kafka.Dispose();

    private Dictionary<string, string?> Settings(string database, string group = "trading-orleans")
    {
        var settings = TestSettings.Quiet(database);
        settings["Trading:Streaming:Provider"] = "Kafka";
        settings["Trading:Streaming:Kafka:BootstrapServers"] = _kafka.BootstrapServers;
        settings["Trading:Streaming:Kafka:Topic"] = Topic;
        settings["Trading:Streaming:Kafka:ConsumerGroup"] = group;
        return settings;
    }

    private static async Task Produce(IProducer<string, byte[]> producer, IEnumerable<Candle> candles)
    {
        foreach (var candle in candles)
        {
            await producer.ProduceAsync(Topic, MarketDataKafkaCodec.Encode(MarketChannels.Namespace, candle with { IngestedAt = DateTimeOffset.UtcNow }));
        }
    }

    private static IReadOnlyList<Candle> Rising(string symbol, int count, int from = 0) =>
        [.. Bars.FromCloses(symbol, [.. Enumerable.Range(from, count).Select(i => 100m + i)]).Select(c => c with { OpenTime = c.OpenTime.AddMinutes(5 * from) })];

    [Fact]
    public async Task Records_produced_to_market_data_reach_the_symbol_grains_and_become_orders()
    {
        await using var cluster = await TradingTestCluster.StartAsync(Settings(TestSettings.NewDatabasePath()));
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);
        using var producer = _kafka.CreateProducer();

        await Produce(producer, Rising("BTCUSDT", 5));

        var orders = await Eventually.Returns(() => cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10), o => o.Count > 0);
        Assert.True(orders[0].TickToOrderLatency > TimeSpan.Zero);

        // With Kafka configured, the audit trail also goes to the `trades` topic.
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers, GroupId = "audit-reader", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("trades");
        var types = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(types.Contains("order") && types.Contains("strategy-config")) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                types.Add(System.Text.Json.JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("type").GetString()!);
            }
        }

        Assert.Contains("order", types);
        Assert.Contains("strategy-config", types);
    }

    [Fact]
    public async Task Every_record_arrives_in_order_per_symbol_and_a_poison_record_is_skipped()
    {
        await using var cluster = await TradingTestCluster.StartAsync(Settings(TestSettings.NewDatabasePath()));
        using var producer = _kafka.CreateProducer();

        await producer.ProduceAsync(Topic, new Message<string, byte[]>
        {
            Key = "ETHUSDT",
            Value = "{\"symbol\":"u8.ToArray(),
            Headers = new Headers { { MarketDataKafkaCodec.TypeHeader, "candle"u8.ToArray() } },
        });
        var interleaved = Rising("BTCUSDT", 100).Zip(Rising("ETHUSDT", 100), Rising("LTCUSDT", 100)).SelectMany(t => new[] { t.First, t.Second, t.Third });
        await Produce(producer, interleaved);

        foreach (var symbol in new[] { "BTCUSDT", "ETHUSDT", "LTCUSDT" })
        {
            var candles = await Eventually.Returns(() => cluster.Client.GetGrain<ISymbolGrain>(symbol).GetRecentCandles(500), c => c.Count == 100);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => 100m + i), candles.Select(c => c.Close));
        }

        // Everything was read: every partition's receiver reports a lag of zero.
        var lags = await Eventually.Returns(() => Task.FromResult(ConsumerLags(cluster)), l => l.Count > 0 && l.Values.All(v => v == 0));
        Assert.All(lags.Keys, partition => Assert.InRange(partition, 0, 3));
    }

    /// <summary>The silo's <c>trading.kafka.consumer_lag</c> gauge, by partition.</summary>
    private static Dictionary<int, long> ConsumerLags(TradingTestCluster cluster)
    {
        var meterFactory = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IMeterFactory>();
        var lags = new Dictionary<int, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "trading.kafka.consumer_lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "partition")
                {
                    lags[(int)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return lags;
    }

    [Fact]
    public async Task A_restarted_silo_resumes_from_the_committed_offset()
    {
        var database = TestSettings.NewDatabasePath();
        using var producer = _kafka.CreateProducer();
        await using (var first = await TradingTestCluster.StartAsync(Settings(database, group: "restart-test")))
        {
            await Produce(producer, Rising("BTCUSDT", 50));
            await Eventually.Returns(() => first.Client.GetGrain<ISymbolGrain>("BTCUSDT").GetRecentCandles(500), c => c.Count == 50);
            // Let the pulling agent see the cache drained and commit.
            await Task.Delay(500);
        }

        await Produce(producer, Rising("BTCUSDT", 30, from: 50));
        await using var second = await TradingTestCluster.StartAsync(Settings(database, group: "restart-test"));

        var candles = await Eventually.Returns(() => second.Client.GetGrain<ISymbolGrain>("BTCUSDT").GetRecentCandles(500),
            c => c.Count > 0 && c[^1].Close == 179m);
        // Nothing lost: every bar produced while down arrived, and none of the 50 delivered before came back.
        Assert.Equal(Enumerable.Range(50, 30).Select(i => 100m + i), candles.Select(c => c.Close));
    }

    [Fact]
    public async Task Records_redelivered_after_a_restart_are_ignored_by_sequence()
    {
        var database = TestSettings.NewDatabasePath();
        using var producer = _kafka.CreateProducer();
        await using (var first = await TradingTestCluster.StartAsync(Settings(database, group: "redelivery-test")))
        {
            await Produce(producer, Rising("ETHUSDT", 20));
            await Eventually.Returns(() => first.Client.GetGrain<ISymbolGrain>("ETHUSDT").GetRecentCandles(500), c => c.Count == 20);
        }

        // A consumer group that never committed sees the whole partition again: the 20 old bars, then 5 new ones.
        await Produce(producer, Rising("ETHUSDT", 5, from: 20));
        await using var second = await TradingTestCluster.StartAsync(Settings(database, group: "redelivery-test-other-group"));

        var candles = await Eventually.Returns(() => second.Client.GetGrain<ISymbolGrain>("ETHUSDT").GetRecentCandles(500),
            c => c.Count > 0 && c[^1].Close == 124m);
        Assert.Equal([120m, 121m, 122m, 123m, 124m], candles.Select(c => c.Close));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)] // publishes queued, not awaited: the same bars, in the same order
    [InlineData(false, 1)] // and held up to 1 ms to go in batches: still the same bars, in the same order
    public async Task The_replay_feed_publishes_through_the_adapter_and_the_pipeline_trades_from_kafka(bool awaitDelivery, int lingerMs)
    {
        var settings = Settings(TestSettings.NewDatabasePath(), group: $"replay-test-{awaitDelivery}-{lingerMs}");
        settings["Trading:Streaming:Kafka:AwaitDelivery"] = awaitDelivery.ToString();
        settings["Trading:Streaming:Kafka:LingerMs"] = lingerMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Trading:Streaming:Kafka:Topic"] = $"market_data_{awaitDelivery}_{lingerMs}";
        settings["Trading:Strategies:SeedDefaults"] = "true";
        settings["Trading:Strategies:DefaultSymbols:0"] = "BTCUSDT";
        settings["Trading:Replay:Enabled"] = "true";
        settings["Trading:Replay:Symbols:0"] = "BTCUSDT";
        settings["Trading:Replay:From"] = "2021-01-01T00:00:00Z";
        settings["Trading:Replay:To"] = "2021-01-03T00:00:00Z";
        await using var cluster = await TradingTestCluster.StartAsync(settings);

        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        // 576 bars of two days went to Kafka through the stream provider and came back to BTCUSDT's grain, which keeps
        // the last 500 (the default SMA votes from the 288th).
        var candles = await Eventually.Returns(() => cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").GetRecentCandles(500), c => c.Count == 500 && c[^1].OpenTime == new DateTimeOffset(2021, 1, 2, 23, 55, 0, TimeSpan.Zero));
        Assert.Equal(Enumerable.Range(76, 500).Select(i => new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(5 * i)), candles.Select(c => c.OpenTime));
        Assert.NotEmpty(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
    }
}
