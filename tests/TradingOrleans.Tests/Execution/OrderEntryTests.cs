using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>The order entry in a test cluster: "review, then execute" for every sender, and orders found by id alone.</summary>
public sealed class OrderEntryTests
{
    private static readonly ExecutionInstruction Immediate = new("immediate", TimeSpan.Zero);

    private static readonly DateTimeOffset WallClock = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static async Task<TradingTestCluster> StartWithPrice(string symbol = "BTCUSDT")
    {
        var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        await cluster.Client.GetGrain<ISymbolGrain>(symbol).OnCandle(Bars.FromCloses(symbol, 30_000)[0]);
        return cluster;
    }

    private static IOrderEntryGrain Entry(TradingTestCluster cluster) => cluster.Client.GetGrain<IOrderEntryGrain>(0);

    [Fact]
    public async Task An_approved_manual_order_is_executed_and_a_retry_with_its_id_returns_it_without_trading_twice()
    {
        await using var cluster = await StartWithPrice();
        var order = new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, Immediate, "retry-1");

        var placed = await Entry(cluster).PlaceManualOrder(order);
        var retried = await Entry(cluster).PlaceManualOrder(order);

        Assert.Equal(ManualOrderOutcome.Placed, placed.Outcome);
        Assert.True(placed.Decision?.Approved);
        Assert.Equal(("BTCUSDT-manual-retry-1", OrderStatus.Filled, "manual immediate order"), (placed.Order?.OrderId, placed.Order?.Status, placed.Order?.Reason));
        Assert.Equal((ManualOrderOutcome.AlreadyPlaced, "BTCUSDT-manual-retry-1", null), (retried.Outcome, retried.Order?.OrderId, retried.Decision));
        Assert.Single(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
    }

    [Fact]
    public async Task A_manual_order_risk_refuses_carries_the_reason_and_no_order()
    {
        await using var cluster = await StartWithPrice();
        await cluster.Client.GetGrain<IRiskGrain>(0).Halt("maintenance");

        var refused = await Entry(cluster).PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, Immediate, "halted"));

        Assert.Equal((ManualOrderOutcome.Refused, null), (refused.Outcome, refused.Order));
        Assert.Equal(RiskRejectionReason.TradingHalted, refused.Decision?.Rejection);
        Assert.Empty(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
        Assert.Null(await Entry(cluster).FindOrder("BTCUSDT-manual-halted"));
    }

    [Fact]
    public async Task A_manual_order_before_the_first_bar_has_no_price_and_reaches_neither_risk_nor_execution()
    {
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()));

        var result = await Entry(cluster).PlaceManualOrder(new ManualOrder("ETHUSDT", OrderSide.Sell, 1m, Immediate, null));

        Assert.Equal(new ManualOrderResult(ManualOrderOutcome.NoPrice, null, null), result);
        Assert.Empty((await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus()).RecentDecisions ?? []);
    }

    [Fact]
    public async Task A_submitted_order_is_reviewed_then_executed_and_refused_when_risk_says_no()
    {
        await using var cluster = await StartWithPrice();
        var intent = new OrderIntent("BTCUSDT-rebalance-1", "BTCUSDT", OrderSide.Buy, 0.01m, 30_000m, "rebalance", Bars.Start, DateTimeOffset.UtcNow);

        var (approval, order, _) = await Entry(cluster).SubmitOrder(intent);
        await cluster.Client.GetGrain<IRiskGrain>(0).Halt("maintenance");
        var (refusal, none, _) = await Entry(cluster).SubmitOrder(intent with { IntentId = "BTCUSDT-rebalance-2" });

        Assert.True(approval.Approved);
        Assert.Equal(("BTCUSDT-rebalance-1", OrderStatus.Filled), (order?.OrderId, order?.Status));
        Assert.Equal((RiskRejectionReason.TradingHalted, null), (refusal.Rejection, none));
    }

    [Fact]
    public async Task An_order_the_venue_rejected_on_a_symbol_without_strategies_or_fills_is_found_by_its_id()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Broker:Paper:Venues:0:Name"] = "paper";
        settings["Trading:Broker:Paper:Venues:0:MaxOrderQuantity"] = "0.001";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        await cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bars.FromCloses("BTCUSDT", 30_000)[0]);

        var placed = await Entry(cluster).PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, Immediate, "too-big"));
        var found = await Entry(cluster).FindOrder("BTCUSDT-manual-too-big");
        var cancel = await Entry(cluster).CancelOrder("BTCUSDT-manual-too-big");

        Assert.Equal((ManualOrderOutcome.Placed, OrderStatus.Rejected), (placed.Outcome, placed.Order?.Status));
        Assert.Equal(OrderStatus.Rejected, found?.Status);
        Assert.Equal(("BTCUSDT-manual-too-big", "Order BTCUSDT-manual-too-big is Rejected: only a working or open order can be cancelled."),
            (cancel.Order?.OrderId, cancel.Problem));
        Assert.Equal(["BTCUSDT-manual-too-big"], (await Entry(cluster).GetOrders(null, 10)).Select(o => o.OrderId));
        Assert.Null((await Entry(cluster).CancelOrder("BTCUSDT-manual-unknown")).Order);
        Assert.Null((await Entry(cluster).AmendOrder("BTCUSDT-manual-unknown", 1m)).Order);
    }

    [Fact]
    public async Task An_order_placed_before_the_entry_kept_its_symbols_is_found_through_the_symbol_s_position()
    {
        await using var cluster = await StartWithPrice("LTCUSDT");
        // Straight to execution, as orders were sent before the order entry existed; its fill opens the position.
        var intent = new OrderIntent("LTCUSDT-old-1", "LTCUSDT", OrderSide.Buy, 1m, 30_000m, "before the entry", Bars.Start, DateTimeOffset.UtcNow);
        await cluster.Client.GetGrain<IExecutionGrain>("LTCUSDT").Execute(intent, null);

        Assert.Equal(OrderStatus.Filled, (await Entry(cluster).FindOrder("LTCUSDT-old-1"))?.Status);
    }

    [Fact]
    public async Task A_manual_order_is_stamped_with_the_injected_clock()
    {
        var clock = new FakeTimeProvider(WallClock);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestSettings.Quiet(TestSettings.NewDatabasePath())).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTradingGrains(configuration);
            silo.Services.AddSingleton<TimeProvider>(clock);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        await cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(Bars.FromCloses("BTCUSDT", 30_000)[0]);

        var placed = await cluster.Client.GetGrain<IOrderEntryGrain>(0).PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, Immediate, "clock"));

        Assert.Equal((WallClock, Bars.Start.AddMinutes(5)), (placed.Order?.TickIngestedAt, placed.Order?.MarketTime));
        await cluster.StopAllSilosAsync();
    }
}
