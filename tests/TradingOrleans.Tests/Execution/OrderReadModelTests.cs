using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// The orders read model: kept current by the execution grains' publications, never rolled back by one overtaken on its
/// way, capped as the execution grains cap their blotters, and read without a call to any grain the order path uses.
/// </summary>
public sealed class OrderReadModelTests
{
    private static readonly ExecutionInstruction Immediate = new("immediate", TimeSpan.Zero);

    private static ParentOrder Order(string id, string symbol, OrderStatus status, int placedSecond) =>
        new(id, symbol, OrderSide.Buy, 0.01m, status, status == OrderStatus.Filled ? 0.01m : 0m, 30_000m, 0.3m, [], [], "test", null,
            Bars.Start, Bars.Start, Bars.Start.AddSeconds(placedSecond));

    [Fact]
    public async Task A_publication_overtaken_on_its_way_does_not_roll_an_order_back_and_the_list_is_newest_placement_first()
    {
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        var readModel = cluster.Client.GetGrain<IOrderReadModelGrain>(0);

        await readModel.Publish(new OrderRevision("BTCUSDT", 11, [Order("btc-1", "BTCUSDT", OrderStatus.Filled, placedSecond: 1)]));
        await readModel.Publish(new OrderRevision("BTCUSDT", 10, [Order("btc-1", "BTCUSDT", OrderStatus.New, placedSecond: 1)]));
        await readModel.Publish(new OrderRevision("ETHUSDT", 5, [Order("eth-1", "ETHUSDT", OrderStatus.New, placedSecond: 2)]));
        await readModel.Publish(new OrderRevision("BTCUSDT", 12, [Order("btc-2", "BTCUSDT", OrderStatus.New, placedSecond: 3)]));

        // One-way messages from a client may arrive in any order: the list is awaited, then the stale one can only be late.
        await Eventually.Returns(() => readModel.Newest(null, 10), o => o.Count == 3, TimeSpan.FromSeconds(10), "the publications");
        Assert.Equal(OrderStatus.Filled, (await readModel.Find("btc-1"))?.Status);
        Assert.Equal(["btc-2", "eth-1", "btc-1"], (await readModel.Newest(null, 10)).Select(o => o.OrderId));
        Assert.Equal(["btc-2", "btc-1"], (await readModel.Newest("BTCUSDT", 10)).Select(o => o.OrderId));
        Assert.Equal(["btc-2"], (await readModel.Newest(null, 1)).Select(o => o.OrderId));
        Assert.Null(await readModel.Find("unknown"));
    }

    [Fact]
    public async Task A_symbol_keeps_its_newest_settled_orders_as_its_execution_grain_does_and_never_drops_a_working_one()
    {
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        var readModel = cluster.Client.GetGrain<IOrderReadModelGrain>(0);
        // The oldest order is still working: it stays however many settled orders come after it.
        await readModel.Publish(new OrderRevision("BTCUSDT", 1, [Order("working", "BTCUSDT", OrderStatus.Working, placedSecond: 0)]));
        var settled = Enumerable.Range(1, OrderBlotter.OrdersKept + 5).Select(n => Order($"filled-{n}", "BTCUSDT", OrderStatus.Filled, n)).ToList();
        await readModel.Publish(new OrderRevision("BTCUSDT", 2, settled));

        var kept = await Eventually.Returns(() => readModel.Newest("BTCUSDT", 1_000), o => o.Count > 1, TimeSpan.FromSeconds(10), "the publications");

        Assert.Equal(OrderBlotter.OrdersKept, kept.Count);
        Assert.Equal("working", kept[^1].OrderId);
        Assert.Equal(Enumerable.Range(7, OrderBlotter.OrdersKept - 1).Reverse().Select(n => $"filled-{n}"), kept.SkipLast(1).Select(o => o.OrderId));
    }

    [Fact]
    public async Task Reading_orders_by_list_and_by_id_calls_no_execution_grain_and_sees_each_change_at_once()
    {
        var calls = new ExecutionCallCounter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestSettings.Quiet(TestSettings.NewDatabasePath())).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTradingGrains(configuration);
            silo.AddIncomingGrainCallFilter(calls);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var entry = cluster.Client.GetGrain<IOrderEntryGrain>(0);
        await cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bars.FromCloses("BTCUSDT", 30_000)[0]);
        var placed = await entry.PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, Immediate, "read-1"));
        Assert.Equal(OrderStatus.Filled, placed.Order?.Status);

        // The read model's first activation asks the execution grains once for what they keep: done before counting.
        await entry.GetOrders(null, 1);
        string[] before = [.. calls.Methods];
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("BTCUSDT-manual-read-1", Assert.Single(await entry.GetOrders(null, 100)).OrderId);
            Assert.Equal(OrderStatus.Filled, (await entry.FindOrder("BTCUSDT-manual-read-1"))?.Status);
            Assert.Single(await entry.GetOrders("BTCUSDT", 100));
        }

        Assert.Equal(before, calls.Methods);

        // A change is readable as soon as the call that made it returns.
        var second = await entry.PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Sell, 0.01m, Immediate, "read-2"));
        var found = await entry.FindOrder("BTCUSDT-manual-read-2");
        Assert.Equal((second.Order?.Status, second.Order?.FilledQuantity), (found?.Status, found?.FilledQuantity));
        Assert.Equal(["BTCUSDT-manual-read-2", "BTCUSDT-manual-read-1"], (await entry.GetOrders(null, 100)).Select(o => o.OrderId));
        await cluster.StopAllSilosAsync();
    }

    private sealed class ExecutionCallCounter : IIncomingGrainCallFilter
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public IReadOnlyCollection<string> Methods => _calls;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceName.EndsWith(nameof(IExecutionGrain), StringComparison.Ordinal))
            {
                _calls.Enqueue(context.MethodName);
            }

            return context.Invoke();
        }
    }
}
