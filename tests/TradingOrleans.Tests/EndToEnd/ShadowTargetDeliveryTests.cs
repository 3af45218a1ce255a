using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>
/// Each signal's target reaches the strategies' shadow books once: with its order's first fills when execution fills it
/// at once (no message of its own on the order path), alone when no order of it reaches execution.
/// </summary>
public sealed class ShadowTargetDeliveryTests
{
    // A steady rise: SMA(2) crosses above SMA(3) on the third bar, and the vote stays long after it.
    private static readonly IReadOnlyList<Candle> Rising = Bars.FromCloses("BTCUSDT", 30_000, 30_000, 30_100, 30_200, 30_300, 30_400);

    [Fact]
    public async Task An_order_filled_at_once_brings_its_signal_s_target_with_its_fills()
    {
        var calls = new PortfolioCalls();
        await using var cluster = await StartWithFastSma(calls);

        await BarFeed.Feed(cluster.Client, Rising);

        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        Assert.True((await portfolio.GetExposure("BTCUSDT")).PositionQuantity > 0);
        Assert.True(calls.Count(nameof(IPortfolioGrain.ApplyFills)) > 0);
        Assert.Equal(0, calls.Count(nameof(IPortfolioGrain.OnTarget)));
        // The book bought on a bar after the signal (the bars' marks are one-way): the target came with the fills.
        var book = await Eventually.Returns(
            async () => (await portfolio.GetAttribution()).Books, b => b.Count == 1 && b[0].Trades > 0, what: "the shadow book's trade");
        Assert.Equal(TestStrategies.FastSma.Id, book[0].StrategyId);
    }

    [Fact]
    public async Task A_signal_that_places_no_order_still_brings_its_target_to_the_shadow_books()
    {
        var calls = new PortfolioCalls();
        await using var cluster = await StartWithFastSma(calls);
        await cluster.Client.GetGrain<IRiskGrain>(0).Halt("test");

        await BarFeed.Feed(cluster.Client, Rising);

        // Halted: no fill reached the portfolio, yet the strategy's book trades as if its target had been the account's.
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        Assert.Equal(0, calls.Count(nameof(IPortfolioGrain.ApplyFills)));
        Assert.True(calls.Count(nameof(IPortfolioGrain.OnTarget)) > 0);
        var book = await Eventually.Returns(
            async () => (await portfolio.GetAttribution()).Books, b => b.Count == 1 && b[0].Trades > 0, what: "the shadow book's trade");
        Assert.Equal(TestStrategies.FastSma.Id, book[0].StrategyId);
    }

    private static async Task<TradingTestCluster> StartWithFastSma(PortfolioCalls calls)
    {
        var cluster = await TradingTestCluster.StartAsync(
            TestSettings.Quiet(TestSettings.NewDatabasePath()), services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls));
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(TestStrategies.FastSma);
        return cluster;
    }

    private sealed class PortfolioCalls : IIncomingGrainCallFilter
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Count(string method) => _counts.GetValueOrDefault(method);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceName.EndsWith(nameof(IPortfolioGrain), StringComparison.Ordinal))
            {
                _counts.AddOrUpdate(context.MethodName, 1, (_, n) => n + 1);
            }

            return context.Invoke();
        }
    }
}
