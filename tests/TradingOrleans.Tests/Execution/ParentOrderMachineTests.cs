using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Execution.ScriptedVenue;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// The parent-order state machine without a silo: the order path, partial fills, expiry, degraded mode, a restart
/// mid-TWAP, cancel at the venue, reconciliation, amend, routing across venues and history pages.
/// </summary>
public sealed class ParentOrderMachineTests
{
    private static readonly ExecutionInstruction Twap4 = MachineShell.Twap4;

    private static Candle Bar(int index, decimal close = 30_000m) => MachineShell.Bar(index, close);

    private static OrderIntent Intent(string id, decimal quantity, ExecutionInstruction? execution = null) =>
        MachineShell.Intent(id, OrderSide.Buy, quantity, execution);

    private static OrderAck Report(string clientOrderId, OrderStatus status, decimal venueFilled, params Fill[] fills) =>
        new(clientOrderId, "28", status, fills, null, MachineShell.WallClock, venueFilled);

    [Fact]
    public async Task A_whole_order_is_one_child_answered_saved_and_booked_once_and_a_retried_intent_finds_it()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);

        var commands = shell.Machine.Execute(Intent("1", 0.4m), shell.Venues(), shell.Now);

        Assert.True(Assert.IsType<PlaceChild>(Assert.Single(commands)).WholeOrder);
        Assert.Null(shell.Order("BTCUSDT-1")); // kept with the venue's answer, not before
        await shell.Run(commands);
        var order = shell.Order("BTCUSDT-1")!;
        Assert.Equal((OrderStatus.Filled, 0.4m, ParentHold.None), (order.Status, order.FilledQuantity, order.Hold));
        Assert.Equal((1, 1, 1), (shell.Journal.Saves, shell.Booked.Count, shell.Placements));
        Assert.Equal(["BTCUSDT-1"], shell.Closed);
        Assert.False(shell.Machine.NeedsClock);

        Assert.Empty(shell.Machine.Execute(Intent("1", 0.4m), shell.Venues(), shell.Now));
        Assert.Equal(["BTCUSDT-1-1"], venue.Received.Select(r => r.ClientOrderId));
    }

    [Fact]
    public async Task Partial_fills_from_the_stream_and_a_query_complete_the_order_each_fill_booked_once_and_a_stale_report_changes_nothing()
    {
        var venue = new ScriptedVenue("binance") { Answer = Unknown };
        var shell = await MachineShell.StartAsync(venue);
        var order = await shell.Execute(Intent("2", 0.03m));
        Assert.Equal((OrderStatus.New, true), (order.Status, order.Children[0].AwaitingVenue));
        Assert.True(shell.Machine.NeedsClock);

        // A stream event: the first trade, the order still open at the venue.
        var t1 = Trade("t1", "BTCUSDT-2-1", 0.01m);
        Assert.True(await shell.Report(Report("BTCUSDT-2-1", OrderStatus.PartiallyFilled, 0.01m, t1)));
        Assert.Equal((OrderStatus.PartiallyFilled, 0.01m), (shell.Order("BTCUSDT-2")!.Status, shell.Order("BTCUSDT-2")!.FilledQuantity));

        // The rest fills while the stream is down; the poll's answer carries both trades, of which only t2 is new.
        venue.Now(Report("BTCUSDT-2-1", OrderStatus.Filled, 0.03m, t1, Trade("t2", "BTCUSDT-2-1", 0.02m)));
        await shell.Poll();
        order = shell.Order("BTCUSDT-2")!;
        Assert.Equal(["BTCUSDT-2-1"], shell.Queried);
        Assert.Equal(["t1", "t2"], shell.Booked.Select(f => f.FillId));
        Assert.Equal((OrderStatus.Filled, 0.03m, false), (order.Status, order.FilledQuantity, order.Children[0].AwaitingVenue));
        Assert.False(shell.Machine.NeedsClock);

        // A stale stream event arriving last changes nothing, and a report on someone else's order is not ours.
        Assert.Empty(shell.Machine.OnVenueReport(Report("BTCUSDT-2-1", OrderStatus.PartiallyFilled, 0.01m, t1))!);
        Assert.Equal(OrderStatus.Filled, shell.Order("BTCUSDT-2")!.Children[0].Status);
        Assert.Null(shell.Machine.OnVenueReport(Report("ETHUSDT-9-1", OrderStatus.Filled, 1m)));
    }

    [Fact]
    public async Task An_unsettled_child_is_queried_once_per_poll_interval_unless_reconciliation_forces_it()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = Unknown });
        await shell.Execute(Intent("3", 0.01m));

        await shell.Poll();
        shell.Now += TimeSpan.FromSeconds(1);
        await shell.Poll();
        await shell.Poll(force: true);
        shell.Now += TimeSpan.FromSeconds(5);
        await shell.Poll();

        Assert.Equal(3, shell.Queried.Count);
        Assert.Equal(1, shell.Journal.Saves); // answers that change nothing are not written
    }

    [Fact]
    public async Task An_expired_child_gives_its_unfilled_part_back_to_the_twap_schedule()
    {
        var venue = new ScriptedVenue("paper");
        var answers = 0;
        venue.Answer = request => ++answers > 1 ? Filled(request)
            : new OrderAck(request.ClientOrderId, "p-1", OrderStatus.Cancelled, [Trade("f1", request.ClientOrderId, 0.05m)], "expired: book exhausted", MachineShell.WallClock);
        var shell = await MachineShell.StartAsync(venue);

        var order = await shell.Execute(Intent("4", 0.4m, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), Slices: 2)));

        // Sent 0.2, of which 0.15 expired: only the 0.05 filled counts as sent, so the second slice sends 0.35.
        Assert.Equal((OrderStatus.Working, 0.05m, false), (order.Status, order.SentQuantity, order.Children[0].AwaitingVenue));
        Assert.Equal("TWAP slice 1 of 2 over 00:10:00; expired: book exhausted", order.LastSliceReason);
        await shell.Bar(Bar(1));
        order = shell.Order("BTCUSDT-4")!;
        Assert.Equal([0.2m, 0.35m], order.Children.Select(c => c.Quantity));
        Assert.Equal((OrderStatus.Filled, 0.4m), (order.Status, order.FilledQuantity));
    }

    [Fact]
    public async Task A_child_that_expired_while_its_trades_could_not_be_fetched_keeps_its_quantity_until_they_are_so_nothing_is_sent_twice()
    {
        var venue = new ScriptedVenue("binance");
        var answers = 0;
        venue.Answer = request => ++answers == 1 ? Unknown(request) : Filled(request);
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("overfill", 0.4m, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), Slices: 2)));

        // Child 1 (0.2) expired with 0.08 executed; the poll sees that, but of its trades only t1 (0.02) could be fetched.
        var t1 = Trade("t1", "BTCUSDT-overfill-1", 0.02m);
        venue.Now(Report("BTCUSDT-overfill-1", OrderStatus.Cancelled, 0.08m, t1));
        await shell.Poll();
        Assert.Equal((OrderStatus.PartiallyFilled, true), (shell.Order("BTCUSDT-overfill")!.Children[0].Status, shell.Order("BTCUSDT-overfill")!.Children[0].AwaitingVenue));

        // The last slice is due: it sends the rest of the schedule, not the 0.18 child 1 will turn out not to have executed.
        await shell.Bar(Bar(1));
        Assert.Equal([0.2m, 0.2m], shell.Order("BTCUSDT-overfill")!.Children.Select(c => c.Quantity));

        // Its trades come in on a later poll: now it counts with the 0.08 executed, and the 0.12 left goes at the next step.
        venue.Now(Report("BTCUSDT-overfill-1", OrderStatus.Cancelled, 0.08m, t1, Trade("t2", "BTCUSDT-overfill-1", 0.06m)));
        shell.Now += TimeSpan.FromSeconds(5);
        await shell.Poll();
        await shell.Bar(Bar(2));

        var order = shell.Order("BTCUSDT-overfill")!;
        Assert.Equal([0.2m, 0.2m, 0.12m], order.Children.Select(c => c.Quantity));
        Assert.Equal((OrderStatus.Filled, 0.4m), (order.Status, order.FilledQuantity));
        Assert.Equal(0.4m, shell.Booked.Sum(f => f.Quantity)); // what the venue executed, each trade once
    }

    /// <summary>A venue that rounds every order down to its own lot, fills what it was sent and says how much that was.</summary>
    private static Func<OrderRequest, OrderAck> RoundsTo(decimal lot) => request =>
    {
        var sent = Math.Floor(request.Quantity / lot) * lot;
        return sent == 0
            ? new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], $"quantity {request.Quantity} rounds down to 0", MachineShell.WallClock)
            : new OrderAck(request.ClientOrderId, $"v-{request.ClientOrderId}", OrderStatus.Filled,
                [Trade($"t-{request.ClientOrderId}", request.ClientOrderId, sent)], null, MachineShell.WallClock, sent, OrderedQuantity: sent);
    };

    [Fact]
    public async Task What_a_venue_rounded_off_a_child_goes_back_to_the_schedule_and_the_child_settles_at_what_was_sent()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = RoundsTo(0.01m) });

        // Slice 1 is 0.202 (half of 0.405 in our 0.001 lots); the venue takes 0.20, and 0.002 goes back to the schedule.
        var order = await shell.Execute(Intent("lots", 0.405m, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), Slices: 2)));
        Assert.Equal((0.20m, OrderStatus.Filled, false), (order.Children[0].Quantity, order.Children[0].Status, order.Children[0].AwaitingVenue));
        Assert.Equal(0.20m, order.SentQuantity);

        await shell.Bar(Bar(1));
        order = shell.Order("BTCUSDT-lots")!;
        Assert.Equal([0.20m, 0.20m], order.Children.Select(c => c.Quantity)); // the last slice asked 0.205
        Assert.Equal((OrderStatus.Working, 0.40m, false), (order.Status, order.FilledQuantity, shell.Machine.Orders.HasUnsettledChildren));
    }

    [Fact]
    public async Task A_parent_left_with_less_than_one_lot_unsent_finishes_filled_with_the_reason()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = RoundsTo(0.001m) });
        await shell.Execute(Intent("sublot", 0.4005m, new ExecutionInstruction("twap", TimeSpan.FromMinutes(10), Slices: 2)));

        await shell.Bar(Bar(1)); // the last slice asks 0.2005; the venue takes 0.200
        await shell.Bar(Bar(2));

        var order = shell.Order("BTCUSDT-sublot")!;
        Assert.Equal([0.2m, 0.200m], order.Children.Select(c => c.Quantity));
        Assert.Equal((OrderStatus.Filled, 0.4m), (order.Status, order.FilledQuantity));
        Assert.Equal("0.0005 left unsent: below one lot (0.001)", order.LastSliceReason);
        Assert.Contains("BTCUSDT-sublot", shell.Closed);
        Assert.False(shell.Machine.NeedsClock);
    }

    [Fact]
    public async Task A_child_unsettled_for_long_is_queried_less_and_less_often_down_to_the_longest_interval()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = Unknown });
        await shell.Execute(Intent("slow", 0.01m));

        var queriedAt = new List<TimeSpan>();
        for (var second = 0; second <= 20 * 60; second++)
        {
            shell.Now = MachineShell.WallClock + TimeSpan.FromSeconds(second);
            var before = shell.Queried.Count;
            await shell.Poll();
            if (shell.Queried.Count > before)
            {
                queriedAt.Add(TimeSpan.FromSeconds(second));
            }
        }

        // Every 5 s while young, a tenth of its age later on, and once a minute from ten minutes on.
        Assert.Equal(TimeSpan.FromSeconds(5), queriedAt[1] - queriedAt[0]);
        Assert.All(queriedAt.Zip(queriedAt.Skip(1)).Where(p => p.First >= TimeSpan.FromMinutes(10)), p => Assert.Equal(TimeSpan.FromMinutes(1), p.Second - p.First));
        Assert.InRange(queriedAt.Count, 40, 50); // instead of 241 at a fixed 5 s
    }

    [Fact]
    public async Task In_degraded_mode_a_new_order_is_refused_and_a_working_parent_waits_until_a_venue_returns()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("5", 0.4m, Twap4));
        venue.IsAvailable = false;

        var refused = await shell.Execute(Intent("6", 0.1m));
        Assert.Equal((OrderStatus.Rejected, "degraded mode: no venue is available (paper); no order sent"), (refused.Status, refused.RejectReason));
        Assert.Empty(refused.Children);
        Assert.Contains("BTCUSDT-6", shell.Closed);

        var saves = shell.Journal.Saves;
        await shell.Bar(Bar(1));
        var waiting = shell.Order("BTCUSDT-5")!;
        Assert.Equal((OrderStatus.Working, ParentHold.Degraded, 1), (waiting.Status, waiting.Hold, waiting.Children.Count));
        Assert.Equal("degraded mode: no venue is available; waiting", waiting.LastSliceReason);
        await shell.Bar(Bar(1)); // still waiting: written once, not at every step
        Assert.Equal(saves + 1, shell.Journal.Saves);

        venue.IsAvailable = true;
        await shell.Bar(Bar(2));
        var resumed = shell.Order("BTCUSDT-5")!;
        Assert.Equal((ParentHold.None, 0.3m), (resumed.Hold, resumed.SentQuantity));
        Assert.Equal([0.1m, 0.2m], resumed.Children.Select(c => c.Quantity)); // slices 2 and 3 together
    }

    [Fact]
    public async Task A_machine_rebuilt_from_its_journal_mid_twap_continues_with_the_next_child_and_never_repeats_one()
    {
        var venue = new ScriptedVenue("paper");
        var first = await MachineShell.StartAsync(venue);
        await first.Execute(Intent("7", 0.4m, Twap4));
        await first.Bar(Bar(1));

        var second = await MachineShell.StartAsync(first.Journal, venue);
        Assert.True(second.Machine.NeedsClock);
        await second.Bar(Bar(2));
        await second.Bar(Bar(3));

        var order = second.Order("BTCUSDT-7")!;
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(Enumerable.Range(1, 4).Select(n => $"BTCUSDT-7-{n}"), order.Children.Select(c => c.ClientOrderId));
        Assert.Equal([0.1m, 0.1m, 0.1m, 0.1m], order.Children.Select(c => c.Quantity));
        Assert.Equal(order.Children.Select(c => c.ClientOrderId), venue.Received.Select(r => r.ClientOrderId));
    }

    [Fact]
    public async Task A_child_whose_answer_was_not_saved_before_a_restart_goes_again_under_its_id_and_the_venue_takes_it_once()
    {
        var venue = new ScriptedVenue("paper");
        var first = await MachineShell.StartAsync(venue);
        await first.Execute(Intent("8", 0.4m, Twap4));
        var beforeTheBar = new InMemoryOrderJournal();
        await beforeTheBar.SaveAsync(first.Journal.Unsealed);
        await first.Bar(Bar(1)); // child 2 reaches the venue; the process stops before its answer is written

        var second = await MachineShell.StartAsync(beforeTheBar, venue);
        await second.Bar(Bar(1));

        var order = second.Order("BTCUSDT-8")!;
        Assert.Equal(["BTCUSDT-8-1", "BTCUSDT-8-2"], order.Children.Select(c => c.ClientOrderId));
        Assert.Equal(["BTCUSDT-8-1", "BTCUSDT-8-2"], venue.Received.Select(r => r.ClientOrderId));
        Assert.Equal(0.2m, order.FilledQuantity);
    }

    [Fact]
    public async Task Cancelling_a_parent_cancels_its_open_child_at_the_venue_and_keeps_what_filled()
    {
        var venue = new ScriptedVenue("binance") { Answer = Unknown };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("9", 0.03m));
        venue.Now(Report("BTCUSDT-9-1", OrderStatus.PartiallyFilled, 0.01m, Trade("t1", "BTCUSDT-9-1", 0.01m)));

        var decision = await shell.Cancel("BTCUSDT-9");

        Assert.Null(decision.Refusal);
        Assert.Equal("BTCUSDT-9-1", Assert.Single(decision.Commands.OfType<CancelChild>()).Request.ClientOrderId);
        var order = shell.Order("BTCUSDT-9")!;
        Assert.Equal((OrderStatus.Cancelled, 0.01m, "cancelled"), (order.Status, order.FilledQuantity, order.LastSliceReason));
        Assert.Equal((OrderStatus.Cancelled, false), (order.Children[0].Status, order.Children[0].AwaitingVenue));
        Assert.Equal(["t1"], shell.Booked.Select(f => f.FillId));
        Assert.False(shell.Machine.NeedsClock);

        var again = shell.Machine.Cancel("BTCUSDT-9");
        Assert.Equal((ChangeRefusal.AlreadyFinal, "Order BTCUSDT-9 is Cancelled: only a working or open order can be cancelled."), (again.Refusal, again.Problem));
        Assert.Equal((ChangeRefusal.UnknownOrder, "No order BTCUSDT-nope."), (shell.Machine.Cancel("BTCUSDT-nope").Refusal, shell.Machine.Cancel("BTCUSDT-nope").Problem));
    }

    [Fact]
    public async Task A_cancelled_working_parent_sends_no_more_children()
    {
        var venue = new ScriptedVenue("paper");
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("10", 0.4m, Twap4));

        var decision = await shell.Cancel("BTCUSDT-10");
        await shell.Bar(Bar(1));

        Assert.Empty(decision.Commands.OfType<CancelChild>()); // its one child was filled at once
        Assert.Equal((OrderStatus.Cancelled, 0.1m), (shell.Order("BTCUSDT-10")!.Status, shell.Order("BTCUSDT-10")!.SentQuantity));
        Assert.Single(venue.Received);
        Assert.Contains("BTCUSDT-10", shell.Closed);
    }

    [Fact]
    public async Task An_amended_parent_replans_at_once_and_amending_it_to_what_was_sent_finishes_it()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("paper"));
        await shell.Execute(Intent("11", 0.4m, Twap4));

        // Slice 1 of 4 is now 0.2: the 0.1 it owes goes at once.
        Assert.Null((await shell.Amend("BTCUSDT-11", 0.8m)).Refusal);
        var order = shell.Order("BTCUSDT-11")!;
        Assert.Equal((0.8m, OrderStatus.Working), (order.Quantity, order.Status));
        Assert.Equal([0.1m, 0.1m], order.Children.Select(c => c.Quantity));

        Assert.Equal(ChangeRefusal.BelowSent, (await shell.Amend("BTCUSDT-11", 0.1m)).Refusal);
        Assert.Null((await shell.Amend("BTCUSDT-11", 0.2m)).Refusal);
        order = shell.Order("BTCUSDT-11")!;
        Assert.Equal((0.2m, OrderStatus.Filled), (order.Quantity, order.Status));
        Assert.Contains("BTCUSDT-11", shell.Closed);
        Assert.Equal(ChangeRefusal.NotWorking, (await shell.Amend("BTCUSDT-11", 0.4m)).Refusal);
        Assert.Equal(ChangeRefusal.UnknownOrder, (await shell.Amend("BTCUSDT-nope", 0.4m)).Refusal);
    }

    [Fact]
    public async Task A_slice_is_routed_piece_by_piece_cheapest_venue_first_with_each_decision_recorded()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("a", feeBps: 10), new ScriptedVenue("b", feeBps: 5, maxOrderQuantity: 0.5m));

        var commands = shell.Machine.Execute(Intent("12", 0.8m), shell.Venues(), shell.Now);

        // One piece at a time: the second is decided once the first was answered.
        Assert.Single(commands.OfType<PlaceChild>());
        await shell.Run(commands);
        var order = shell.Order("BTCUSDT-12")!;
        Assert.Equal([("BTCUSDT-12-1", "b", 0.5m), ("BTCUSDT-12-2", "a", 0.3m)], order.Children.Select(c => (c.ClientOrderId, c.Venue, c.Quantity)));
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.StartsWith("BTCUSDT-12-1 → b: effective", order.Routing![0]);
        Assert.Contains("rank 2 of 2", order.Routing[1]);
    }

    [Fact]
    public async Task A_rejected_piece_ends_the_parent_and_the_rest_of_the_slice_is_never_sent()
    {
        var a = new ScriptedVenue("a", feeBps: 10);
        var shell = await MachineShell.StartAsync(a, new ScriptedVenue("b", feeBps: 5, maxOrderQuantity: 0.5m) { Answer = Rejected });

        var order = await shell.Execute(Intent("13", 0.8m));

        Assert.Equal((OrderStatus.Rejected, "insufficient balance"), (order.Status, order.RejectReason));
        Assert.Single(order.Children);
        Assert.Empty(a.Received);
        Assert.Contains("BTCUSDT-13", shell.Closed);
    }

    [Fact]
    public async Task A_rejected_child_stops_a_twap_parent_cancelled_with_its_filled_part_and_the_reason_or_rejected_when_nothing_filled()
    {
        var venue = new ScriptedVenue("binance");
        venue.Answer = request => request.ClientOrderId is "BTCUSDT-part-2" or "BTCUSDT-none-1"
            ? new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], "value 3 is below the minimum notional 10", MachineShell.WallClock)
            : Filled(request);
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("part", 0.4m, Twap4));
        await shell.Bar(Bar(1));
        await shell.Bar(Bar(2));
        var part = shell.Order("BTCUSDT-part")!;
        Assert.Equal((OrderStatus.Cancelled, 0.1m, "value 3 is below the minimum notional 10"), (part.Status, part.FilledQuantity, part.RejectReason));
        Assert.Equal("stopped: binance rejected BTCUSDT-part-2 (value 3 is below the minimum notional 10); 0.1 of 0.4 filled", part.LastSliceReason);
        Assert.Equal(2, part.Children.Count); // nothing after the rejection
        Assert.Contains("BTCUSDT-part", shell.Closed);

        var none = await shell.Execute(Intent("none", 0.4m, Twap4));
        Assert.Equal((OrderStatus.Rejected, 0m, "value 3 is below the minimum notional 10"), (none.Status, none.FilledQuantity, none.RejectReason));
    }

    [Fact]
    public async Task What_no_venue_can_take_ends_the_parent_cancelled_with_the_reason()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("a", feeBps: 10, maxOrderQuantity: 0.6m), new ScriptedVenue("b", feeBps: 1, minNotional: 50_000m));

        var order = await shell.Execute(Intent("14", 0.8m));

        Assert.Equal((OrderStatus.Cancelled, 0.6m), (order.Status, order.FilledQuantity));
        Assert.Equal("0.200 could not be routed: no venue takes it (maximum quantity or minimum value)", order.LastSliceReason);
    }

    [Fact]
    public async Task A_parent_that_arrived_live_advances_on_the_wall_clock_without_waiting_for_a_bar()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("paper"));
        var live = Intent("15", 0.4m, new ExecutionInstruction("twap", TimeSpan.FromMinutes(4), Slices: 4)) with { MarketTime = shell.Now };
        await shell.Execute(live);

        shell.Now += TimeSpan.FromSeconds(30);
        await shell.Run(shell.Machine.OnTimer(shell.Venues(), shell.Now));
        Assert.Single(shell.Order("BTCUSDT-15")!.Children);

        shell.Now += TimeSpan.FromSeconds(30);
        await shell.Run(shell.Machine.OnTimer(shell.Venues(), shell.Now));
        Assert.Equal(2, shell.Order("BTCUSDT-15")!.Children.Count);
    }

    [Fact]
    public async Task Limit_protection_holds_a_parent_with_a_typed_reason_while_the_price_is_beyond_its_band()
    {
        var shell = await MachineShell.StartAsync(new ScriptedVenue("paper"));
        await shell.Bar(Bar(0, close: 31_000m));

        var held = await shell.Execute(Intent("17", 0.4m, new ExecutionInstruction("immediate", TimeSpan.Zero, MaxAdverseBps: 50)));
        Assert.Equal((OrderStatus.Working, ParentHold.PausedByLimitProtection), (held.Status, held.Hold));
        Assert.StartsWith("paused: price 31000", held.LastSliceReason);

        await shell.Bar(Bar(1, close: 30_100m));
        var order = shell.Order("BTCUSDT-17")!;
        Assert.Equal((OrderStatus.Filled, ParentHold.None), (order.Status, order.Hold));
    }

    [Fact]
    public async Task Finished_orders_are_sealed_into_history_pages_and_a_rebuilt_machine_still_finds_a_retried_intent_there()
    {
        var venue = new ScriptedVenue("paper");
        var first = await MachineShell.StartAsync(venue);
        foreach (var number in Enumerable.Range(1, 25))
        {
            await first.Execute(Intent($"h{number}", 0.001m));
        }

        Assert.Equal((2, 5), (first.Journal.Pages.Count, first.Journal.Unsealed.Count));
        var second = await MachineShell.StartAsync(first.Journal, venue);
        Assert.Equal(first.Machine.Orders.Newest(100), second.Machine.Orders.Newest(100));
        Assert.Empty(second.Machine.Execute(Intent("h3", 0.001m), second.Venues(), second.Now));
        Assert.Equal(25, venue.Received.Count);
    }
}
