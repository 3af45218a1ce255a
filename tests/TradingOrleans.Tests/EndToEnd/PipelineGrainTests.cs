using Microsoft.Extensions.DependencyInjection;
using Orleans.BroadcastChannel;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>The grains wired together in a test cluster, driven bar by bar.</summary>
public sealed class PipelineGrainTests
{
    private static readonly StrategyConfig FastSma = TestStrategies.FastSma;

    private static Task<TradingTestCluster> StartEmptyCluster(params (string Key, string Value)[] overrides)
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return TradingTestCluster.StartAsync(settings);
    }

    private static Task Feed(TradingTestCluster cluster, IEnumerable<Candle> bars) => BarFeed.Feed(cluster.Client, bars);

    [Fact]
    public async Task A_saved_strategy_trades_at_once_warmed_up_on_the_bars_already_seen()
    {
        await using var cluster = await StartEmptyCluster();
        var bars = Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200, 30_300, 30_400, 30_500);
        await Feed(cluster, bars.Take(5));

        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);
        await Feed(cluster, bars.Skip(5));

        // Without the warm-up from the symbol's history, SMA(3) would need three more bars.
        var signals = await cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals();
        var signal = Assert.Single(signals.Latest);
        Assert.Equal(("sma-test", bars[5].CloseTime), (signal.StrategyId, signal.MarketTime));
        var order = Assert.Single(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
        Assert.Equal(bars[5].CloseTime, order.MarketTime);
    }

    [Fact]
    public async Task Disabling_a_strategy_withdraws_its_vote_and_flattens_the_position()
    {
        await using var cluster = await StartEmptyCluster();
        var registry = cluster.Client.GetGrain<IStrategyRegistryGrain>(0);
        await registry.Save(FastSma);
        await Feed(cluster, Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200));
        // The bar's order path runs after OnCandle returns: wait for the fill to reach the portfolio.
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        await Eventually.Returns(() => portfolio.GetExposure("BTCUSDT"), e => e.PositionQuantity > 0, what: "the long position");

        await registry.Save(FastSma with { Enabled = false });

        var signals = await cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals();
        Assert.Empty(signals.Latest);
        Assert.Equal(0m, (await portfolio.GetExposure("BTCUSDT")).PositionQuantity);
    }

    [Fact]
    public async Task Halted_trading_places_no_orders_and_records_the_reason()
    {
        await using var cluster = await StartEmptyCluster();
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);
        await cluster.Client.GetGrain<IRiskGrain>(0).Halt("test");

        await Feed(cluster, Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200));

        Assert.Empty(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
        var status = await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus();
        Assert.Equal((TradingState.Halted, "test"), (status.State, status.HaltReason));
        Assert.Equal(RiskRejectionReason.TradingHalted, Assert.Single(status.RecentRejections).Rejection);
    }

    [Fact]
    public async Task A_target_larger_than_the_order_limit_is_reached_over_the_following_bars()
    {
        // 20% of 100,000 at ~30,000 is ~0.667 BTC (20,000 USDT), in orders of at most 8,000 USDT.
        await using var cluster = await StartEmptyCluster(("Trading:Risk:MaxOrderNotional", "8000"));
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);

        // A steady rise keeps SMA(2) above SMA(3), so the vote stays long from the third bar on.
        await Feed(cluster, Bars.FromCloses("BTCUSDT", 30_000, 30_000, 30_100, 30_200, 30_300, 30_400));

        var orders = await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10);
        Assert.Equal(3, orders.Count);
        Assert.All(orders, o => Assert.True(o.Quantity * o.AverageFillPrice <= 8_000m * 1.0002m, $"{o.OrderId} exceeds the order limit"));
        var exposure = await cluster.Client.GetGrain<IPortfolioGrain>(0).GetExposure("BTCUSDT");
        Assert.InRange(exposure.PositionQuantity * 30_400m, 0.19m * exposure.Equity, 0.21m * exposure.Equity);
    }

    [Fact]
    public async Task Malformed_market_data_on_the_channel_is_skipped_and_the_symbol_keeps_trading()
    {
        await using var cluster = await StartEmptyCluster();
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);
        var silo = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);
        var channel = silo.GetRequiredService<IClusterClient>().GetBroadcastChannelProvider(MarketChannels.ProviderName)
            .GetChannelWriter<object>(ChannelId.Create(MarketChannels.Namespace, "BTCUSDT"));

        await channel.Publish("{not a candle}");
        foreach (var bar in Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200))
        {
            await channel.Publish(bar with { IngestedAt = DateTimeOffset.UtcNow });
        }

        await Eventually.Returns(() => cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10), o => o.Count == 1, what: "one order");
    }
}
