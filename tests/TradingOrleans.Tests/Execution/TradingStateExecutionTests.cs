using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Execution.ScriptedVenue;

namespace TradingOrleans.Tests.Execution;

/// <summary>Halts and reducing-only reach working algorithms, and every child is checked just before it goes out.</summary>
public sealed class TradingStateExecutionTests
{
    private static readonly ExecutionInstruction Twap4 = MachineShell.Twap4;

    private static Candle Bar(int index, decimal close = 30_000m) => MachineShell.Bar(index, close);

    private static OrderIntent Intent(string id, OrderSide side, decimal quantity, ExecutionInstruction? execution = null) =>
        MachineShell.Intent(id, side, quantity, execution);

    [Fact]
    public async Task A_halt_cancels_a_working_twap_and_its_open_child_at_the_venue_and_nothing_goes_out_until_resumed()
    {
        var venue = new ScriptedVenue("paper") { Answer = Unknown }; // children rest open at the venue
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("twap", OrderSide.Buy, 0.4m, Twap4));
        Assert.Single(venue.Received);

        await shell.Run(shell.Machine.OnTradingState(TradingState.Halted, "operator", 0));

        var order = shell.Order("BTCUSDT-twap")!;
        Assert.Equal((OrderStatus.Cancelled, "trading halted (operator): cancelled"), (order.Status, order.LastSliceReason));
        Assert.Equal(OrderStatus.Cancelled, order.Children[0].Status); // the venue answered the cancel
        await shell.Bar(Bar(1));
        await shell.Bar(Bar(2));
        Assert.Single(venue.Received);

        var refused = await shell.Execute(Intent("late", OrderSide.Buy, 0.1m));
        Assert.Equal((OrderStatus.Rejected, "trading halted (operator): no order sent"), (refused.Status, refused.RejectReason));
        Assert.Single(venue.Received);

        await shell.Run(shell.Machine.OnTradingState(TradingState.Active, null, 0));
        Assert.Equal(OrderStatus.New, (await shell.Execute(Intent("after", OrderSide.Buy, 0.1m))).Status);
        Assert.Equal(2, venue.Received.Count);
    }

    [Fact]
    public async Task Reducing_only_keeps_parents_that_shrink_the_position_cut_to_what_closes_it_and_cancels_the_rest()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);
        // Three TWAPs, each with its first quarter filled; the position is long 1 BTC.
        await shell.Execute(Intent("sell-small", OrderSide.Sell, 0.4m, Twap4));
        await shell.Execute(Intent("buy", OrderSide.Buy, 0.2m, Twap4));
        await shell.Execute(Intent("sell-large", OrderSide.Sell, 1.0m, Twap4));

        await shell.Run(shell.Machine.OnTradingState(TradingState.Reducing, "daily loss stop", 1.0m));

        // 1.0 closable: the older sell keeps its 0.3 outstanding (0.7 left), the buy is cancelled, and the larger sell
        // (0.25 filled, 0.75 outstanding) is cut to 0.25 + 0.7 = 0.95.
        Assert.Equal((OrderStatus.Working, 0.4m), (shell.Order("BTCUSDT-sell-small")!.Status, shell.Order("BTCUSDT-sell-small")!.Quantity));
        var buy = shell.Order("BTCUSDT-buy")!;
        Assert.Equal((OrderStatus.Cancelled, "reducing only (daily loss stop): cancelled"), (buy.Status, buy.LastSliceReason));
        var cut = shell.Order("BTCUSDT-sell-large")!;
        Assert.Equal((OrderStatus.Working, 0.95m), (cut.Status, cut.Quantity));
        Assert.StartsWith("reducing only (daily loss stop): cut from 1 to 0.95", cut.LastSliceReason);

        // The schedule runs on for what reduces; a new buy is refused, a sell is not.
        for (var bar = 1; bar <= 4; bar++)
        {
            await shell.Bar(Bar(bar));
        }

        Assert.Equal((OrderStatus.Filled, 0.95m), (shell.Order("BTCUSDT-sell-large")!.Status, shell.Order("BTCUSDT-sell-large")!.FilledQuantity));
        Assert.Equal(0.05m, shell.Order("BTCUSDT-buy")!.FilledQuantity);
        Assert.Equal(OrderStatus.Rejected, (await shell.Execute(Intent("buy-2", OrderSide.Buy, 0.1m))).Status);
        Assert.Equal(OrderStatus.Filled, (await shell.Execute(Intent("sell-2", OrderSide.Sell, 0.1m))).Status);
    }

    [Fact]
    public async Task The_price_collar_holds_a_working_parent_while_the_last_bar_is_too_far_from_its_arrival_price()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("collar", OrderSide.Buy, 0.4m, Twap4));

        await shell.Bar(Bar(1, close: 33_500m)); // 11.7 % above the arrival price 30,000; the collar is 10 %

        var held = shell.Order("BTCUSDT-collar")!;
        Assert.Equal((ParentHold.PriceCollar, 1), (held.Hold, held.Children.Count));
        Assert.Equal("price collar: the last price 33500 is 11.7 % from 30000, more than the collar 10.0 %: waiting", held.LastSliceReason);
        var refused = await shell.Execute(Intent("new", OrderSide.Buy, 0.1m) with { MarketTime = Bar(1).CloseTime });
        Assert.Equal(OrderStatus.Rejected, refused.Status);
        Assert.StartsWith("price collar", refused.RejectReason);

        await shell.Bar(Bar(2, close: 31_000m));
        Assert.Equal(2, shell.Order("BTCUSDT-collar")!.Children.Count);
    }

    [Fact]
    public async Task An_intent_whose_market_data_is_older_than_the_signal_age_limit_is_refused_before_any_child()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);
        shell.Now = MachineShell.WallClock + MachineShell.MaxSignalAge + TimeSpan.FromSeconds(1);

        var refused = await shell.Execute(Intent("stale", OrderSide.Buy, 0.1m));

        Assert.Equal(OrderStatus.Rejected, refused.Status);
        Assert.Equal("stale: the market data behind it was ingested 31000 ms ago, past the 30000 ms limit (Trading:Risk:MaxSignalAge): no order sent", refused.RejectReason);
        Assert.Empty(venue.Received);
    }

    [Fact]
    public async Task A_halt_over_the_api_stops_a_working_twap_at_once()
    {
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        await BarFeed.Feed(cluster.Client, Bars.FromCloses("BTCUSDT", 30_000));
        var entry = cluster.Client.GetGrain<IOrderEntryGrain>(0);
        var twap12 = new ExecutionInstruction("twap", TimeSpan.FromHours(1), Slices: 12);
        var placed = await entry.PlaceManualOrder(new ManualOrder("BTCUSDT", OrderSide.Buy, 0.12m, twap12, "halt-test"));
        Assert.Equal((ManualOrderOutcome.Placed, 1), (placed.Outcome, placed.Order!.Children.Count));

        await cluster.Client.GetGrain<IRiskGrain>(0).Halt("operator");

        var order = (await entry.FindOrder(placed.Order.OrderId))!;
        Assert.Equal((OrderStatus.Cancelled, 1), (order.Status, order.Children.Count));
        // The execution clock runs on (bars, the one-second timer): nothing more is sent.
        await BarFeed.Feed(cluster.Client, Bars.FromCloses("BTCUSDT", 30_000, 30_010, 30_020).Select(b => b with { OpenTime = b.OpenTime.AddHours(1) }));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single((await entry.FindOrder(placed.Order.OrderId))!.Children);
        // One slice of 0.01 filled (less the fee, paid in the base asset).
        Assert.InRange((await cluster.Client.GetGrain<IPortfolioGrain>(0).GetExposure("BTCUSDT")).PositionQuantity, 0.0099m, 0.01m);
    }
}
