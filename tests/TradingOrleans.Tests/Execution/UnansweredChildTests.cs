using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Execution.ScriptedVenue;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// A child whose venue has not answered within the grain's answer wait (#23, "a venue blocks the grain"): kept as sent
/// and awaiting, counted whole in the schedule, and settled by its late answer, which comes back as a report and ends
/// the order exactly as the same answer in time would have.
/// </summary>
public sealed class UnansweredChildTests
{
    private static readonly ExecutionInstruction Twap4 = new("twap", TimeSpan.FromMinutes(20), Slices: 4);

    private static Candle Bar(int index) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * index), 30_000m, 30_000m, 30_000m, 30_000m, 10m, Bars.Start);

    private static OrderIntent Intent(string id, decimal quantity, ExecutionInstruction? execution = null) =>
        new($"BTCUSDT-{id}", "BTCUSDT", OrderSide.Buy, quantity, 30_000m, "test", Bar(0).CloseTime, MachineShell.WallClock, execution);

    [Fact]
    public async Task An_unanswered_order_is_kept_sent_and_awaiting_and_its_late_answer_settles_it_with_each_fill_booked_once()
    {
        var venue = new ScriptedVenue("binance") { Silent = true };
        var shell = await MachineShell.StartAsync(venue);

        var order = await shell.Execute(Intent("slow", 0.03m));

        var child = Assert.Single(order.Children);
        Assert.Equal((OrderStatus.New, OrderStatus.New, true, 0.03m), (order.Status, child.Status, child.AwaitingVenue, order.SentQuantity));
        Assert.Equal((1, 1), (shell.Journal.Saves, shell.Placements)); // saved as sent, counted as placed once
        Assert.True(shell.Machine.NeedsClock);
        Assert.Empty(shell.Machine.Execute(Intent("slow", 0.03m), shell.Venues(), shell.Now)); // a retried intent finds it

        // Polls ask the venue meanwhile (it knows nothing yet); then the late answer arrives as a report.
        await shell.Poll();
        Assert.Equal(["BTCUSDT-slow-1"], shell.Queried);
        var late = Filled(Assert.Single(venue.Received));
        Assert.True(await shell.Report(late));

        order = shell.Order("BTCUSDT-slow")!;
        Assert.Equal((OrderStatus.Filled, 0.03m, false), (order.Status, order.FilledQuantity, order.Children[0].AwaitingVenue));
        Assert.Equal(["t-BTCUSDT-slow-1"], shell.Booked.Select(f => f.FillId));
        Assert.Equal(["BTCUSDT-slow"], shell.Closed);
        Assert.Equal(1, shell.Placements);

        // The same answer again (a query's, or the stream's) changes nothing.
        Assert.Empty(shell.Machine.OnVenueReport(late)!);
        Assert.Single(shell.Booked);
    }

    [Fact]
    public async Task A_late_rejection_ends_an_order_exactly_as_the_same_rejection_in_time()
    {
        var answered = await MachineShell.StartAsync(new ScriptedVenue("binance") { Answer = Rejected });
        var inTime = await answered.Execute(Intent("rejected", 0.03m));
        var venue = new ScriptedVenue("binance") { Silent = true };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("rejected", 0.03m));

        Assert.True(await shell.Report(Rejected(Assert.Single(venue.Received))));

        var late = shell.Order("BTCUSDT-rejected")!;
        Assert.Equal((OrderStatus.Rejected, "insufficient balance", 0m), (late.Status, late.RejectReason, late.FilledQuantity));
        Assert.Equal((inTime.Status, inTime.RejectReason, inTime.LastSliceReason), (late.Status, late.RejectReason, late.LastSliceReason));
        Assert.Equal(inTime.Children.Select(c => (c.Status, c.AwaitingVenue, c.FilledQuantity)), late.Children.Select(c => (c.Status, c.AwaitingVenue, c.FilledQuantity)));
        Assert.Equal(answered.Closed, shell.Closed);
        Assert.Equal(answered.Placements, shell.Placements);
        Assert.False(shell.Machine.NeedsClock);
    }

    [Fact]
    public async Task A_late_rejection_of_a_twap_child_stops_the_parent_cancelled_with_what_filled_as_in_time()
    {
        var venue = new ScriptedVenue("binance");
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("part", 0.4m, Twap4));
        venue.Silent = true;
        await shell.Bar(Bar(1));
        Assert.Equal((OrderStatus.Working, true), (shell.Order("BTCUSDT-part")!.Status, shell.Order("BTCUSDT-part")!.Children[1].AwaitingVenue));

        await shell.Report(new OrderAck("BTCUSDT-part-2", "", OrderStatus.Rejected, [], "value 3 is below the minimum notional 10", MachineShell.WallClock));
        await shell.Bar(Bar(2));

        // The same end as A_rejected_child_stops_a_twap_parent_… where the venue answered in time.
        var part = shell.Order("BTCUSDT-part")!;
        Assert.Equal((OrderStatus.Cancelled, 0.1m, "value 3 is below the minimum notional 10"), (part.Status, part.FilledQuantity, part.RejectReason));
        Assert.Equal("stopped: binance rejected BTCUSDT-part-2 (value 3 is below the minimum notional 10); 0.1 of 0.4 filled", part.LastSliceReason);
        Assert.Equal(2, part.Children.Count);
        Assert.Equal(["BTCUSDT-part"], shell.Closed);
    }

    [Fact]
    public async Task An_unanswered_twap_child_counts_whole_in_the_schedule_so_no_quantity_is_sent_twice()
    {
        var venue = new ScriptedVenue("binance") { Silent = true };
        var shell = await MachineShell.StartAsync(venue);
        await shell.Execute(Intent("twap", 0.4m, Twap4));

        foreach (var index in new[] { 1, 2, 3, 4 })
        {
            await shell.Bar(Bar(index));
        }

        Assert.Equal([0.1m, 0.1m, 0.1m, 0.1m], venue.Received.Select(r => r.Quantity));
        Assert.All(shell.Order("BTCUSDT-twap")!.Children, c => Assert.Equal((OrderStatus.New, true), (c.Status, c.AwaitingVenue)));

        foreach (var request in venue.Received.ToArray())
        {
            await shell.Report(Filled(request));
        }

        var order = shell.Order("BTCUSDT-twap")!;
        Assert.Equal((OrderStatus.Filled, 0.4m, 4), (order.Status, order.FilledQuantity, order.Children.Count));
        Assert.Equal(4, shell.Booked.Count);
    }
}
