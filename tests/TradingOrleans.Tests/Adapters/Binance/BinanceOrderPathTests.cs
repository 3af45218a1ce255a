using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Tests.Support;
using Fault = TradingOrleans.Tests.Support.FakeBinanceExchange.Fault;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// Execution grains trading on a local Binance-speaking exchange (paper venues off), driven bar by bar, under the
/// faults of issue #23: every test ends on no duplicate order at the venue, no lost fill, and a position equal to what
/// the venue executed.
/// </summary>
public sealed class BinanceOrderPathTests
{
    internal static readonly ExecutionInstruction Twap5 = new("twap", TimeSpan.FromMinutes(25), Slices: 5);

    internal static Candle Bar(int index, string symbol = "BTCUSDT") =>
        new(symbol, TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * index), 30_000m, 30_000m, 30_000m, 30_000m, 10m, DateTimeOffset.UtcNow);

    internal static OrderIntent Intent(string id, decimal quantity, ExecutionInstruction? execution = null, string symbol = "BTCUSDT") =>
        new($"{symbol}-manual-{id}", symbol, OrderSide.Buy, quantity, 30_000m, "test", Bar(0).CloseTime, DateTimeOffset.UtcNow, execution);

    /// <summary>A silo on its own database with Binance as the only venue; <paramref name="symbols"/> are the ones whose exchange filters it loads.</summary>
    private static Task<TradingTestCluster> Start(FakeBinanceExchange exchange, string database, TimeSpan pollInterval, params string[] symbols) =>
        Start(Settings(exchange, database, pollInterval, symbols), exchange);

    internal static async Task<TradingTestCluster> Start(Dictionary<string, string?> settings, FakeBinanceExchange exchange)
    {
        var cluster = await TradingTestCluster.StartAsync(settings);
        await Eventually.Returns(() => Task.FromResult(exchange.Subscriptions), n => n >= 1, TimeSpan.FromSeconds(30), "the user-data subscription");
        return cluster;
    }

    /// <summary>The settings of such a silo, for a test to change before it starts.</summary>
    internal static Dictionary<string, string?> Settings(FakeBinanceExchange exchange, string database, TimeSpan pollInterval, params string[] symbols)
    {
        var settings = exchange.AsOnlyVenue(TestSettings.Quiet(database), symbols.Length > 0 ? symbols : ["BTCUSDT"]);
        settings["Trading:Broker:Binance:RecvWindowMilliseconds"] = "1500";
        settings["Trading:Broker:Binance:RequestTimeout"] = "00:00:02";
        settings["Trading:Broker:Binance:StreamReconnectDelay"] = "00:00:00.100";
        settings["Trading:Execution:OpenOrderPollInterval"] = pollInterval.ToString();
        return settings;
    }

    [Fact]
    public async Task A_twap_child_that_expired_while_its_trades_could_not_be_fetched_is_not_sent_again_so_the_parent_executes_exactly_its_quantity()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        // Polling is slowed to an hour: the test decides when the venue is asked.
        await using var cluster = await Start(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromHours(1));
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var intent = Intent("overfill", 0.05m, Twap5);

        // Child 1 (0.01) rests open; the stream reports its first trade.
        exchange.Enqueue(Fault.FillsLater);
        await execution.Execute(intent, null);
        await exchange.TradeAsync($"{intent.IntentId}-1", 0.002m);
        await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.FilledQuantity == 0.002m, TimeSpan.FromSeconds(10), "the streamed trade");

        // While the stream is down it trades 0.004 more and expires; the poll sees EXPIRED with 0.006 executed, but its
        // trades lookup is answered 429.
        exchange.LoseUserDataEvents = true;
        await exchange.TradeAsync($"{intent.IntentId}-1", 0.004m);
        await exchange.ExpireAsync($"{intent.IntentId}-1");
        exchange.RateLimitedTradeQueries = 1;
        await execution.Reconcile();
        var polled = (await execution.GetOrder(intent.IntentId))!;
        Assert.Equal((OrderStatus.PartiallyFilled, true, 0.002m), (polled.Children[0].Status, polled.Children[0].AwaitingVenue, polled.Children[0].FilledQuantity));

        // The rest of the schedule goes while child 1 still awaits its trades: it counts whole, so nothing is sent twice.
        foreach (var index in new[] { 1, 2, 3, 4 })
        {
            await Step(execution, Bar(index), intent.IntentId, children: index + 1);
        }

        // The next poll fetches the trades: child 1 ends with the 0.006 executed, and the 0.004 it left goes at the next step.
        await execution.Reconcile();
        await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Children[0].Status == OrderStatus.Cancelled, TimeSpan.FromSeconds(10), "child 1's trades");
        await Step(execution, Bar(5), intent.IntentId, children: 6);
        var order = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Status == OrderStatus.Filled, TimeSpan.FromSeconds(20), "the parent to fill");

        Assert.Equal(0.05m, exchange.Orders.Sum(o => o.Executed));
        Assert.Equal(0.05m, order!.FilledQuantity);
        Assert.Equal([0.01m, 0.01m, 0.01m, 0.01m, 0.01m, 0.004m], order.Children.Select(c => c.Quantity));
        await AssertVenueAndPortfolioAgree(cluster, exchange, order);
    }

    [Fact]
    public async Task An_expiry_that_overtakes_its_order_s_trade_on_the_stream_settles_the_child_only_with_that_trade_booked()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        await using var cluster = await Start(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromSeconds(1));
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var intent = Intent("overtaken", 0.03m);
        exchange.Enqueue(Fault.FillsLater);
        await execution.Execute(intent, null);

        // The trade's event is lost on the stream (as if still on its way), then the EXPIRED event arrives saying 0.01
        // was executed (its cumulative quantity, z): the child is not final on the no fill it knows.
        exchange.LoseUserDataEvents = true;
        await exchange.TradeAsync($"{intent.IntentId}-1", 0.01m);
        exchange.LoseUserDataEvents = false;
        await exchange.ExpireAsync($"{intent.IntentId}-1");

        var order = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Children[0] is { AwaitingVenue: false },
            TimeSpan.FromSeconds(15), "the child to settle");
        Assert.Equal((OrderStatus.Cancelled, 0.01m), (order!.Children[0].Status, order.Children[0].FilledQuantity));
        Assert.Equal((OrderStatus.Cancelled, 0.01m), (order.Status, order.FilledQuantity));
        Assert.Single(exchange.Orders); // nothing sent again: the parent ends with what the venue executed
        await AssertVenueAndPortfolioAgree(cluster, exchange, order);
    }

    [Fact]
    public async Task An_order_binance_rounds_down_to_its_lot_settles_filled_with_what_was_sent_and_is_no_longer_polled()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        // ETHUSDT's filters are loaded, not BTCUSDT's: its orders are sized in the configured lots (0.00001), finer than
        // the exchange's 0.001, so the broker rounds 0.0123 down to 0.012 before sending.
        await using var cluster = await Start(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromSeconds(1), "ETHUSDT");
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var intent = Intent("lot", 0.0123m);

        await execution.Execute(intent, null);
        var order = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Status == OrderStatus.Filled, TimeSpan.FromSeconds(10), "the order to settle");

        var child = Assert.Single(order!.Children);
        Assert.Equal((0.012m, OrderStatus.Filled, false), (child.Quantity, child.Status, child.AwaitingVenue));
        Assert.Equal(0.012m, order.FilledQuantity);
        Assert.Equal("0.0003 not sent: binance took 0.012 of 0.0123, rounded down to its lot", order.LastSliceReason);
        var queries = exchange.OrderQueries;
        await Task.Delay(TimeSpan.FromSeconds(3)); // three poll intervals
        Assert.Equal(queries, exchange.OrderQueries);
        await AssertVenueAndPortfolioAgree(cluster, exchange, order);
    }

    [Fact]
    public async Task A_twap_parent_whose_child_binance_rejects_ends_cancelled_with_what_filled_and_the_reason()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        await using var cluster = await Start(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromSeconds(1));
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var partly = Intent("partly", 0.05m, Twap5);
        var nothing = Intent("nothing", 0.05m, Twap5);

        await execution.Execute(partly, null);
        exchange.Enqueue(Fault.InsufficientBalance);
        await Step(execution, Bar(1), partly.IntentId, children: 2);
        await execution.OnBar(Bar(2), null);
        exchange.Enqueue(Fault.InsufficientBalance);
        var rejected = await execution.Execute(nothing, null);

        var order = await Eventually.Returns(() => execution.GetOrder(partly.IntentId), o => o!.Status != OrderStatus.Working, TimeSpan.FromSeconds(10), "the parent to stop");
        Assert.Equal((OrderStatus.Cancelled, 0.01m, 2), (order!.Status, order.FilledQuantity, order.Children.Count));
        Assert.Equal("binance -2010: new order rejected by the matching engine (Account has insufficient balance for requested action.)", order.RejectReason);
        Assert.StartsWith($"stopped: binance rejected {partly.IntentId}-2 (binance -2010", order.LastSliceReason);
        Assert.Equal((OrderStatus.Rejected, 0m), (rejected.Status, rejected.FilledQuantity));
        await AssertVenueAndPortfolioAgree(cluster, exchange, order, rejected);
    }

    [Fact]
    public async Task A_limit_child_binance_rests_stays_awaited_until_the_user_data_stream_reports_its_trades()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        // Polling is slowed to an hour: the fills can only come from the stream.
        await using var cluster = await Start(exchange, TestSettings.NewDatabasePath(), TimeSpan.FromHours(1));
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var intent = Intent("resting", 0.02m, new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitPrice: 29_500m));

        // A buy limit at 29,500 under the book at 30,000: Binance answers NEW, and the child rests open (execution may
        // answer before the venue has the order: its placement carries on after the answer wait).
        var placed = await execution.Execute(intent, null);
        Assert.Equal((OrderStatus.New, true), (placed.Status, placed.Children.Single().AwaitingVenue));
        await Eventually.Returns(() => Task.FromResult(exchange.Orders.Count), n => n == 1, TimeSpan.FromSeconds(10), "the order at the venue");
        Assert.Matches("&type=LIMIT&timeInForce=GTC&quantity=0.02&price=29500&", Assert.Single(exchange.NewOrderQueryStrings));

        await exchange.TradeAsync($"{intent.IntentId}-1", 0.005m);
        var partial = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.FilledQuantity == 0.005m, TimeSpan.FromSeconds(10), "the first streamed trade");
        Assert.Equal((OrderStatus.PartiallyFilled, true), (partial!.Status, partial.Children.Single().AwaitingVenue));

        await exchange.TradeAsync($"{intent.IntentId}-1", 0.015m);
        var order = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o!.Status == OrderStatus.Filled, TimeSpan.FromSeconds(10), "the second streamed trade");

        Assert.Equal((29_500m, false), (order!.AverageFillPrice, order.Children.Single().AwaitingVenue));
        await AssertVenueAndPortfolioAgree(cluster, exchange, order);
    }

    [Fact]
    public async Task A_restart_reconciles_a_resting_limit_child_that_filled_while_no_silo_ran()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        var database = TestSettings.NewDatabasePath();
        var intent = Intent("overnight", 0.02m, new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitPrice: 29_500m));
        await using (var first = await Start(exchange, database, TimeSpan.FromHours(1)))
        {
            var placed = await first.Client.GetGrain<IExecutionGrain>("BTCUSDT").Execute(intent, null);
            Assert.True(placed.Children.Single().AwaitingVenue);
            await Eventually.Returns(() => Task.FromResult(exchange.Orders.Count), n => n == 1, TimeSpan.FromSeconds(10), "the order at the venue");
        }

        // The book trades through the limit while no silo runs: the stream has nobody to tell, and polling is an hour apart.
        await exchange.TradeAsync($"{intent.IntentId}-1", 0.02m);

        await using var second = await Start(exchange, database, TimeSpan.FromHours(1));
        var execution = second.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var order = await Eventually.Returns(() => execution.GetOrder(intent.IntentId), o => o?.Status == OrderStatus.Filled, TimeSpan.FromSeconds(30),
            "the reconcile when the user-data stream connects");

        Assert.Equal((29_500m, 0.02m, false), (order!.AverageFillPrice, order.FilledQuantity, order.Children.Single().AwaitingVenue));
        await AssertVenueAndPortfolioAgree(second, exchange, order);
    }

    /// <summary>A bar for the execution grain (a one-way call, so delivered in no set order), then the child it makes.</summary>
    private static async Task<ParentOrder?> Step(IExecutionGrain execution, Candle bar, string orderId, int children)
    {
        await execution.OnBar(bar, null);
        return await Eventually.Returns(() => execution.GetOrder(orderId), o => o!.Children.Count == children, TimeSpan.FromSeconds(20), $"child {children}");
    }

    internal static async Task AssertVenueAndPortfolioAgree(TradingTestCluster cluster, FakeBinanceExchange exchange, params ParentOrder[] orders)
    {
        var venueOrders = exchange.Orders;
        Assert.Equal(venueOrders.Count, venueOrders.Select(o => o.ClientOrderId).Distinct().Count()); // no duplicate
        var venueFills = venueOrders.SelectMany(o => o.Trades.Select(t => $"binance-{o.Symbol}-{t.TradeId}")).Order().ToArray();
        Assert.Equal(venueFills, orders.SelectMany(o => o.Fills.Select(f => f.FillId)).Order().ToArray()); // none lost, none twice
        foreach (var symbol in venueOrders.Select(o => o.Symbol).Distinct())
        {
            var exposure = await cluster.Client.GetGrain<IPortfolioGrain>(0).GetExposure(symbol);
            Assert.Equal(venueOrders.Where(o => o.Symbol == symbol).Sum(o => o.Executed), exposure.PositionQuantity);
        }
    }
}
