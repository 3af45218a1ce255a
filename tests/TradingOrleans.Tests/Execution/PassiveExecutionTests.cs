using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Execution.ScriptedVenue;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// Passive TWAP: each slice rests post-only at the touch, is withdrawn and rests again when the touch moves away, and
/// what is unfilled at its deadline crosses at market. A withdrawal is answered before anything else of its parent
/// goes, and the next child is what the venue left unfilled, so the parent never fills more than its quantity.
/// </summary>
public sealed class PassiveExecutionTests
{
    /// <summary>Three slices of ten minutes: two five-minute bars each.</summary>
    private static readonly ExecutionInstruction PassiveTwap3 = new("twap", TimeSpan.FromMinutes(30), Slices: 3, Passive: true);

    /// <summary>The first five hours of 2021-01-01, real BTCUSDT 5-minute bars from the repository's data: Day[i] opens at i × 5 minutes.</summary>
    private static readonly IReadOnlyList<Candle> Day = [.. CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(60)];

    private static OrderIntent DecidedOn(Candle bar, string id, OrderSide side, decimal quantity, ExecutionInstruction instruction) =>
        new($"BTCUSDT-{id}", "BTCUSDT", side, quantity, bar.Close, "test", bar.CloseTime, MachineShell.WallClock, instruction);

    /// <summary>A venue where a post-only child rests (no fill yet) and anything else fills at once.</summary>
    private static OrderAck RestsOrFills(OrderRequest request) => request.Limit is null ? Filled(request) : Resting(request);

    private static OrderAck Resting(OrderRequest request) => new(request.ClientOrderId, $"v-{request.ClientOrderId}", OrderStatus.New, [], null, MachineShell.WallClock);

    private static OrderAck RefusedForTaking(OrderRequest request) =>
        new(request.ClientOrderId, "", OrderStatus.Rejected, [], "binance -2010: new order rejected by the matching engine (Order would immediately match and take.)",
            MachineShell.WallClock, WouldTake: true);

    private static void AtMostOneChildWorking(ParentOrder order) => Assert.True(order.Children.Count(c => c.AwaitingVenue) <= 1, $"{order.OrderId} has several children working");

    [Fact]
    public void Twap_targets_say_what_may_rest_now_and_what_is_past_its_deadline()
    {
        var twap = new TwapExecution(3, TimeSpan.FromMinutes(30));
        var instrument = new InstrumentRules("BTCUSDT", 0.001m);
        (int, decimal, decimal) At(double minutes, decimal total = 0.03m)
        {
            var targets = twap.Targets(new ParentProgress(total, 0, Bars.Start, Bars.Start.AddMinutes(minutes), 30_000m, null, instrument));
            return (targets.Slice, targets.Working, targets.Due);
        }

        Assert.Equal((0, 0m, 0m), At(-1));
        Assert.Equal((1, 0.01m, 0m), At(0));
        Assert.Equal((1, 0.01m, 0m), At(9.99));
        Assert.Equal((2, 0.02m, 0.01m), At(10)); // slice 1's deadline is slice 2's start
        Assert.Equal((3, 0.03m, 0.02m), At(29.99));
        Assert.Equal((3, 0.03m, 0.03m), At(30)); // the last slice's deadline is the end of the span
        Assert.Equal((3, 0.03m, 0.03m), At(45));
        // Cumulative quantities rounded down to the lot, the whole parent at the last slice: 1 BTC in thirds.
        Assert.Equal((2, 0.666m, 0.333m), At(10, 1m));
        Assert.Equal((3, 1m, 0.666m), At(20, 1m));
    }

    [Fact]
    public async Task A_passive_twap_buy_on_the_paper_venue_rests_at_the_touch_is_repriced_as_it_moves_away_and_crosses_at_each_deadline()
    {
        // The default paper venue: its best ask 2 bps over the reference, 10 bps fee; resting orders fill when a bar trades through them.
        var paper = new PaperBroker(new PaperVenueOptions(), new FakeTimeProvider(MachineShell.WallClock));
        var shell = await MachineShell.StartAsync(paper);
        const string id = "BTCUSDT-passive";

        // Decided on the close of the 03:30 bar, 29,215.88: 0.03 BTC in three slices of ten minutes.
        await shell.Bar(Day[42]);
        await shell.Execute(DecidedOn(Day[42], "passive", OrderSide.Buy, 0.03m, PassiveTwap3));

        // Slice 1 rests post-only at the touch: the last close (bars only, no book).
        var order = shell.Order(id)!;
        Assert.Equal((0.01m, new LimitTerms(OrderType.LimitMaker, 29_215.88m), 29_215.88m, true),
            (order.Children[0].Quantity, order.Children[0].Limit, order.Children[0].Touch, order.Children[0].AwaitingVenue));

        // 03:35: the low 29,215.89 never trades through 29,215.88, and the close 29,243.05 is away from it: child 1 is
        // withdrawn (nothing filled) and slice 1 rests again at the new touch.
        await shell.Bar(Day[43]);
        order = shell.Order(id)!;
        AtMostOneChildWorking(order);
        Assert.Equal((OrderStatus.Cancelled, 0m), (order.Children[0].Status, order.Children[0].FilledQuantity));
        Assert.Equal((0.01m, 29_243.05m, 29_243.05m), (order.Children[1].Quantity, order.Children[1].Limit!.Price, order.Children[1].Touch));
        Assert.Equal([$"{id}-1"], shell.CancelsSent);

        // 03:40: the low 29,243.05 only touches child 2, and slice 1's deadline (03:45) has come: child 2 is withdrawn and
        // its 0.01 crosses at market — the close 29,276.99 plus the venue's 2 bps, 29,282.845398 — then slice 2 rests at 29,276.99.
        await shell.Bar(Day[44]);
        order = shell.Order(id)!;
        AtMostOneChildWorking(order);
        Assert.Equal(OrderStatus.Cancelled, order.Children[1].Status);
        var cross = order.Children[2];
        Assert.Equal((0.01m, null, null, OrderStatus.Filled), (cross.Quantity, cross.Limit, cross.Touch, cross.Status));
        Assert.Equal((0.01m, 29_276.99m), (order.Children[3].Quantity, order.Children[3].Limit!.Price));
        Assert.Equal([$"{id}-1", $"{id}-2"], shell.CancelsSent);

        // 03:45: the low 29,250 trades through 29,276.99, so child 4 fills at its limit; slice 2 is done.
        await shell.Bar(Day[45]);
        Assert.Equal((4, OrderStatus.Filled, 0.02m), (shell.Order(id)!.Children.Count, shell.Order(id)!.Children[3].Status, shell.Order(id)!.FilledQuantity));

        // 03:50 closes at 29,311.35 as slice 3 begins: it rests there, and the 03:55 bar's low 29,276.16 fills it.
        await shell.Bar(Day[46]);
        Assert.Equal(29_311.35m, shell.Order(id)!.Children[4].Limit!.Price);
        await shell.Bar(Day[47]);
        await shell.Bar(Day[48]);

        order = shell.Order(id)!;
        Assert.Equal((OrderStatus.Filled, 0.03m, 5), (order.Status, order.FilledQuantity, order.Children.Count));
        Assert.Equal([(0.01m, 29_282.845398m), (0.01m, 29_276.99m), (0.01m, 29_311.35m)], order.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Equal(0.03m, shell.Booked.Sum(f => f.Quantity)); // booked once each, never more than the parent
        Assert.Equal(2, shell.CancelsSent.Count);
    }

    [Fact]
    public async Task With_a_book_ticker_the_touch_is_the_best_bid_for_a_buy_and_the_best_ask_for_a_sell()
    {
        var venue = new ScriptedVenue("binance") { Answer = RestsOrFills };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(MachineShell.Intent("buy", OrderSide.Buy, 0.03m, PassiveTwap3)); // rests at the arrival price, 30,000
        await shell.Execute(MachineShell.Intent("sell", OrderSide.Sell, 0.03m, PassiveTwap3) with { ReferencePrice = 30_010m });

        // The bar closes at 30,000 but the book is 30,004 / 30,006: both touches moved away, and each side rests at its own.
        await shell.Bar(MachineShell.Bar(1), new Quote("BTCUSDT", 7, 30_004m, 1m, 30_006m, 1m, Bars.Start));

        Assert.Equal(["BTCUSDT-buy-1", "BTCUSDT-sell-1"], shell.CancelsSent);
        Assert.Equal((30_004m, 30_004m), (shell.Order("BTCUSDT-buy")!.Children[1].Limit!.Price, shell.Order("BTCUSDT-buy")!.Children[1].Touch));
        Assert.Equal((30_006m, 30_006m), (shell.Order("BTCUSDT-sell")!.Children[1].Limit!.Price, shell.Order("BTCUSDT-sell")!.Children[1].Touch));
    }

    [Fact]
    public async Task A_quote_older_than_the_bar_is_not_the_touch_the_close_is()
    {
        var venue = new ScriptedVenue("binance") { Answer = RestsOrFills };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(MachineShell.Intent("buy", OrderSide.Buy, 0.03m, PassiveTwap3));

        // Its bid of 30,004 is from an hour before the bar: the touch is the close, 30,000, where the child rests already.
        await shell.Bar(MachineShell.Bar(1), new Quote("BTCUSDT", 7, 30_004m, 1m, 30_006m, 1m, Bars.Start.AddHours(-1)));

        Assert.Empty(shell.CancelsSent);
        Assert.Equal("TWAP slice 1 of 3 over 00:30:00: 0.01 resting at 30000", shell.Order("BTCUSDT-buy")!.LastSliceReason);
    }

    [Fact]
    public async Task A_child_refused_for_taking_rests_one_tick_away_and_a_second_refusal_waits_for_the_touch_to_move()
    {
        var refusals = 0;
        var venue = new ScriptedVenue("binance") { Answer = r => refusals++ < 2 ? RefusedForTaking(r) : Resting(r) };
        var shell = await MachineShell.StartAsync(venue);

        // The touch is 30,000 (the arrival price: no bar yet), but the market has moved through it: Binance refuses the
        // maker at 30,000 and at 29,999.99, a tick away; the parent waits (still working, nothing failed).
        var order = await shell.Execute(MachineShell.Intent("maker", OrderSide.Buy, 0.03m, PassiveTwap3));

        Assert.Equal([30_000m, 29_999.99m], venue.Received.Select(r => r.Limit!.Price));
        Assert.All(order.Children, c => Assert.Equal((OrderStatus.Rejected, true, 30_000m), (c.Status, c.WouldTake, c.Touch!.Value)));
        Assert.Equal((OrderStatus.Working, null, 0m), (order.Status, order.RejectReason, order.SentQuantity));
        Assert.Contains("refused twice for taking at the touch 30000; waiting for it to move", order.LastSliceReason);

        // A step at the same touch sends nothing; a bar that moves it rests slice 1 there.
        await shell.Run(shell.Machine.OnTimer(shell.Venues(), shell.Now));
        Assert.Equal(2, venue.Received.Count);
        await shell.Bar(MachineShell.Bar(1, close: 29_995m));
        order = shell.Order("BTCUSDT-maker")!;
        Assert.Equal((0.01m, 29_995m, OrderStatus.New), (order.Children[2].Quantity, order.Children[2].Limit!.Price, order.Children[2].Status));
        Assert.Equal(OrderStatus.Working, order.Status);
    }

    [Fact]
    public async Task A_post_only_child_the_venue_ends_at_once_rests_again_at_the_next_step_not_again_and_again_in_one()
    {
        // A venue that expires every maker order at once (as Binance's self-trade prevention can): one child per step.
        var venue = new ScriptedVenue("binance")
        {
            Answer = r => new OrderAck(r.ClientOrderId, $"v-{r.ClientOrderId}", OrderStatus.Cancelled, [], "binance EXPIRED_IN_MATCH: filled 0 of 0.01", MachineShell.WallClock),
        };
        var shell = await MachineShell.StartAsync(venue);

        var order = await shell.Execute(MachineShell.Intent("expiring", OrderSide.Buy, 0.03m, PassiveTwap3));
        Assert.Single(venue.Received);
        Assert.Equal((OrderStatus.Working, "TWAP slice 1 of 3 over 00:30:00: 0.01 rests at 30000 (touch 30000) at the next step (its child ended at once in this one)"),
            (order.Status, shell.Order(order.OrderId)!.LastSliceReason));

        await shell.Run(shell.Machine.OnTimer(shell.Venues(), shell.Now));
        Assert.Equal(2, venue.Received.Count);
    }

    [Fact]
    public async Task A_fill_that_races_the_withdrawal_counts_and_the_next_child_is_what_the_venue_left_unfilled()
    {
        var venue = new ScriptedVenue("binance") { Answer = RestsOrFills };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(MachineShell.Intent("race", OrderSide.Buy, 0.03m, PassiveTwap3));
        var first = "BTCUSDT-race-1";

        // 0.004 of child 1 trades at the venue just before our cancel reaches it; we have not heard of that trade yet.
        venue.Now(new OrderAck(first, $"v-{first}", OrderStatus.PartiallyFilled, [Trade("t-1", first, 0.004m)], null, MachineShell.WallClock, VenueFilledQuantity: 0.004m));

        // The touch moves up to 30,010: the withdrawal's answer (cancelled, 0.004 filled) sets the replacement to 0.006.
        await shell.Bar(MachineShell.Bar(1, close: 30_010m));
        var order = shell.Order("BTCUSDT-race")!;
        Assert.Equal((OrderStatus.Cancelled, 0.004m), (order.Children[0].Status, order.Children[0].FilledQuantity));
        Assert.Equal((0.006m, 30_010m), (venue.Received[1].Quantity, venue.Received[1].Limit!.Price));
        Assert.Equal(0.01m, order.SentQuantity);

        // The stream's late report of the same trade changes nothing.
        await shell.Report(new OrderAck(first, $"v-{first}", OrderStatus.PartiallyFilled, [Trade("t-1", first, 0.004m)], null, MachineShell.WallClock, VenueFilledQuantity: 0.004m));
        Assert.Equal(0.004m, shell.Booked.Sum(f => f.Quantity));

        // Slice 1's deadline: child 2 is withdrawn unfilled, and exactly its 0.006 crosses; slice 2 rests.
        await shell.Bar(MachineShell.Bar(2, close: 30_010m));
        order = shell.Order("BTCUSDT-race")!;
        Assert.Equal([0.01m, 0.006m, 0.006m, 0.01m], venue.Received.Select(r => r.Quantity));
        Assert.Equal([OrderType.LimitMaker, OrderType.LimitMaker, (OrderType?)null, OrderType.LimitMaker], venue.Received.Select(r => r.Limit?.Type));
        Assert.Equal(0.01m, order.FilledQuantity);
        AtMostOneChildWorking(order);
    }

    [Fact]
    public async Task A_withdrawal_the_venue_answers_late_holds_its_parent_until_the_answer_and_the_advance_goes_on_to_the_next_parent()
    {
        var venue = new ScriptedVenue("binance") { Answer = RestsOrFills };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(MachineShell.Intent("passive", OrderSide.Buy, 0.03m, PassiveTwap3));
        await shell.Execute(MachineShell.Intent("plain", OrderSide.Sell, 0.4m, MachineShell.Twap4));
        venue.SilentCancels = true;

        // The touch moves: the cancel of the passive child is not answered in time. Nothing replaces it meanwhile, and
        // the same advance still works the other parent (its second slice).
        await shell.Bar(MachineShell.Bar(1, close: 30_010m));
        Assert.Single(shell.Order("BTCUSDT-passive")!.Children);
        Assert.Equal(2, shell.Order("BTCUSDT-plain")!.Children.Count);
        Assert.Equal(["BTCUSDT-passive-1"], shell.CancelsSent);

        // Slice 1's deadline passes while the answer is still out: no second cancel within the poll interval, no cross.
        await shell.Bar(MachineShell.Bar(2, close: 30_010m));
        Assert.Single(shell.Order("BTCUSDT-passive")!.Children);
        Assert.Equal(3, shell.Order("BTCUSDT-plain")!.Children.Count);
        Assert.Single(shell.CancelsSent);

        // The late answer: cancelled after 0.003 traded. The next step crosses exactly the 0.007 slice 1 lacks, then rests slice 2.
        await shell.Report(new OrderAck("BTCUSDT-passive-1", "v-1", OrderStatus.Cancelled, [Trade("t-late", "BTCUSDT-passive-1", 0.003m)], null,
            MachineShell.WallClock, VenueFilledQuantity: 0.003m));
        Assert.Single(shell.Order("BTCUSDT-passive")!.Children);
        await shell.Bar(MachineShell.Bar(3, close: 30_010m));

        var order = shell.Order("BTCUSDT-passive")!;
        Assert.Equal([(0.01m, OrderStatus.Cancelled), (0.007m, OrderStatus.Filled), (0.01m, OrderStatus.New)], order.Children.Select(c => (c.Quantity, c.Status)));
        Assert.Equal((0.01m, 0.02m), (order.FilledQuantity, order.SentQuantity));
    }

    [Fact]
    public async Task A_halt_during_a_passive_slice_cancels_its_resting_child_at_the_venue()
    {
        var paper = new PaperBroker(new PaperVenueOptions(), new FakeTimeProvider(MachineShell.WallClock));
        var shell = await MachineShell.StartAsync(paper);
        await shell.Bar(Day[42]);
        await shell.Execute(DecidedOn(Day[42], "halted", OrderSide.Buy, 0.03m, PassiveTwap3));

        await shell.Run(shell.Machine.OnTradingState(TradingState.Halted, "operator", 0));

        var order = shell.Order("BTCUSDT-halted")!;
        Assert.Equal((OrderStatus.Cancelled, "trading halted (operator): cancelled"), (order.Status, order.LastSliceReason));
        Assert.Equal((OrderStatus.Cancelled, false), (order.Children[0].Status, order.Children[0].AwaitingVenue));
        Assert.Equal(OrderStatus.Cancelled, (await paper.QueryOrderAsync(new OrderRequest("BTCUSDT-halted-1", "BTCUSDT", OrderSide.Buy, 0.01m, 0, default), default))!.Status);

        // A later bar that trades far through the old price fills nothing and sends nothing.
        var crash = Day[43] with { Low = 28_000m, Close = 28_100m };
        await shell.Bar(crash);
        Assert.Equal((1, 0m), (shell.Order("BTCUSDT-halted")!.Children.Count, shell.Order("BTCUSDT-halted")!.FilledQuantity));
        Assert.Empty(paper.MatchRestingOrders(Day[44] with { Low = 28_000m }));
    }

    [Fact]
    public async Task A_passive_child_is_watched_at_its_own_price_by_self_cross_surveillance()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = RestsOrFills });
        await shell.Execute(MachineShell.Intent("ask", OrderSide.Sell, 0.03m, PassiveTwap3)); // rests at the touch, 30,000

        var flagged = shell.Machine.Execute(MachineShell.Intent("buy", OrderSide.Buy, 0.01m), shell.Venues(), shell.Now).OfType<SelfCross>().Single();

        Assert.Equal("Buy 0.01 at market could trade against our own resting Sell BTCUSDT-ask at 30000", flagged.Detail);
    }

    [Theory]
    [InlineData("vwap", OrderType.Market)]
    [InlineData("immediate", OrderType.Market)]
    [InlineData("twap", OrderType.Limit)]
    public void Passive_is_for_twap_with_market_orders_only(string algorithm, OrderType orderType)
    {
        var instruction = new ExecutionInstruction(algorithm, TimeSpan.FromMinutes(10), Slices: 2, OrderType: orderType,
            LimitOffsetBps: orderType == OrderType.Market ? null : 5m, Passive: true);

        Assert.Equal(["passive"], instruction.Validate().Keys);
        Assert.Empty((instruction with { Algorithm = "twap", OrderType = OrderType.Market, LimitOffsetBps = null }).Validate());
    }

    [Fact]
    public void A_passive_default_for_signal_orders_needs_the_twap_default()
    {
        var options = new ExecutionOptions { DefaultPassive = true };
        Assert.Contains(options.Validate(new ValidationContext(options)), p => p.MemberNames.Contains(nameof(ExecutionOptions.DefaultPassive)));

        options.DefaultAlgorithm = "twap";
        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.True(options.DefaultInstruction.Passive);
    }
}
