using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>Every single-symbol strategy type configured at once on replayed real bars, voting through the grains.</summary>
public sealed class StrategyLibraryReplayTests
{
    [Fact]
    public async Task Every_library_strategy_votes_on_replayed_bars()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));

        // Saved after the replay: each strategy warms up on the bars the symbol holds (Trading:MarketData:CandleHistory,
        // 500) without voting on them, and votes on the next bar.
        var registry = cluster.Client.GetGrain<IStrategyRegistryGrain>(0);
        var types = StrategyCatalog.Definitions.Values.Where(d => d is { IsPair: false, Model: null }).Select(d => d.Type).ToArray();
        foreach (var type in types)
        {
            await registry.Save(new StrategyConfig($"lib-{type}", type, ["BTCUSDT"], new Dictionary<string, double>()));
        }

        var recent = await cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").GetRecentCandles(1);
        var next = recent[0] with { OpenTime = recent[0].OpenTime + recent[0].Interval, IngestedAt = DateTimeOffset.UtcNow };
        var publisher = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IMarketDataPublisher>();
        await publisher.PublishAsync(next);

        var signals = await Eventually.Returns(
            () => cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals(),
            s => s.Latest.Count == types.Length, TimeSpan.FromSeconds(30), "a vote from every strategy");

        Assert.Equal(types.Select(t => $"lib-{t}").Order(StringComparer.Ordinal), signals.Latest.Select(s => s.StrategyId));
        Assert.All(signals.Latest, s => Assert.Equal(new DateTimeOffset(2021, 1, 3, 0, 5, 0, TimeSpan.Zero), s.MarketTime));
        Assert.True(types.Length >= 30);
    }
}
