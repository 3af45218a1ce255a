using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>A TWAP parent that outlives its cluster: the new cluster continues the schedule without repeating a child.</summary>
public sealed class WorkingOrderRestartTests
{
    private static Candle Bar(int index) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * index), 30_000m, 30_000m, 30_000m, 30_000m, 10m, DateTimeOffset.UtcNow);

    private static Task<TradingTestCluster> Start(string database) => TradingTestCluster.StartAsync(TestSettings.Quiet(database));

    [Fact]
    public async Task A_restart_mid_schedule_continues_with_the_next_child_and_never_repeats_one()
    {
        var database = TestSettings.NewDatabasePath();
        var twap = new ExecutionInstruction("twap", TimeSpan.FromMinutes(20), Slices: 4);
        var intent = new OrderIntent("BTCUSDT-manual-restart", "BTCUSDT", OrderSide.Buy, 0.4m, 30_000m, "test", Bar(0).CloseTime, DateTimeOffset.UtcNow, twap);

        await using (var first = await Start(database))
        {
            await first.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bar(0));
            var execution = first.Client.GetGrain<IExecutionGrain>("BTCUSDT");
            Assert.Single((await execution.Execute(intent, null)).Children);

            await first.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bar(1));
            var working = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Children.Count == 2, what: "the second slice");
            Assert.Equal(OrderStatus.Working, working!.Status);
        }

        await using var second = await Start(database);
        foreach (var index in new[] { 2, 3 })
        {
            await second.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bar(index));
        }

        var order = await Eventually.Returns(
            () => second.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrder(intent.IntentId), o => o!.Status == OrderStatus.Filled, what: "the last slice");

        // Children continue the numbering after the restart with no id reused; bars the new activation sees late are
        // caught up in one child (two slices), so there are 3 or 4 children of whole slices.
        var children = order!.Children;
        Assert.InRange(children.Count, 3, 4);
        Assert.Equal(Enumerable.Range(1, children.Count).Select(n => $"BTCUSDT-manual-restart-{n}"), children.Select(c => c.ClientOrderId));
        Assert.Equal([0.1m, 0.1m], children.Take(2).Select(c => c.Quantity));
        Assert.All(children, c => Assert.Equal(0m, c.Quantity % 0.1m));
        Assert.Equal(0.4m, children.Sum(c => c.Quantity));
        Assert.Equal(children.Count, order.Fills.Select(f => f.FillId).Distinct().Count());
        Assert.Equal(0.4m, (await second.Client.GetGrain<IPortfolioGrain>(0).GetExposure("BTCUSDT")).PositionQuantity);
    }
}
