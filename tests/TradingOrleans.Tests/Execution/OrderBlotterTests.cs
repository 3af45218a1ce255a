using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

/// <summary>The kept orders without a silo: lookups by id and by child, the cap, history pages and reading them back.</summary>
public sealed class OrderBlotterTests
{
    private static readonly DateTimeOffset At = new(2021, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static ChildOrder Child(string parentId, int number, bool awaiting = false) =>
        new($"{parentId}-{number}", $"paper-{number}", 0.001m, awaiting ? OrderStatus.New : OrderStatus.Filled, awaiting ? 0 : 0.001m, At, "paper", awaiting);

    private static ParentOrder Order(int number, OrderStatus status = OrderStatus.Filled, bool awaiting = false)
    {
        var id = $"BTCUSDT-{number}";
        return new ParentOrder(id, "BTCUSDT", OrderSide.Buy, 0.001m, status, 0.001m, 30_000m, 0.03m, [Child(id, 1, awaiting)], [], "test", null, At, At, At);
    }

    private static async Task<OrderBlotter> Trade(InMemoryOrderJournal journal, IEnumerable<int> numbers, OrderBlotter? blotter = null)
    {
        blotter ??= await OrderBlotter.LoadAsync(journal);
        foreach (var number in numbers)
        {
            blotter.Put(Order(number));
            await blotter.SaveAsync(journal);
        }

        return blotter;
    }

    private static IEnumerable<string> Ids(IEnumerable<int> numbers) => numbers.Select(n => $"BTCUSDT-{n}");

    [Fact]
    public void Orders_are_found_by_id_and_by_each_childs_client_order_id_also_after_a_new_child()
    {
        var blotter = new OrderBlotter();
        var working = Order(1, OrderStatus.Working);
        blotter.Put(working);
        blotter.Put(working with { Children = [.. working.Children, Child(working.OrderId, 2, awaiting: true)] });

        Assert.Equal(2, blotter.Find("BTCUSDT-1")!.Children.Count);
        Assert.Same(blotter.Find("BTCUSDT-1"), blotter.FindByChild("BTCUSDT-1-2"));
        Assert.Same(blotter.Find("BTCUSDT-1"), blotter.FindByChild("BTCUSDT-1-1"));
        Assert.Null(blotter.FindByChild("BTCUSDT-1-3"));
        Assert.Null(blotter.Find("BTCUSDT-2"));
        Assert.Equal((true, true), (blotter.HasWorkingOrders, blotter.HasUnsettledChildren));
    }

    [Fact]
    public async Task Every_ten_settled_orders_are_sealed_into_a_page_and_the_written_state_keeps_the_rest()
    {
        var journal = new InMemoryOrderJournal();

        var blotter = await Trade(journal, Enumerable.Range(1, 25));

        Assert.Equal([Ids(Enumerable.Range(1, 10)), Ids(Enumerable.Range(11, 10))], journal.Pages.Select(page => page!.Select(o => o.OrderId)));
        Assert.Equal(Ids(Enumerable.Range(21, 5)), journal.Unsealed.Select(o => o.OrderId));
        Assert.Equal(25, journal.Saves);
        Assert.Equal(Ids(Enumerable.Range(1, 25).Reverse()), blotter.Newest(100).Select(o => o.OrderId));
    }

    [Fact]
    public async Task Only_settled_orders_are_sealed_and_an_order_still_awaited_at_its_venue_waits_in_the_state()
    {
        var journal = new InMemoryOrderJournal();
        var blotter = new OrderBlotter();
        blotter.Put(Order(1, OrderStatus.New, awaiting: true));

        await Trade(journal, Enumerable.Range(2, 10), blotter);

        Assert.Equal(Ids(Enumerable.Range(2, 10)), Assert.Single(journal.Pages)!.Select(o => o.OrderId));
        Assert.Equal(["BTCUSDT-1"], journal.Unsealed.Select(o => o.OrderId));
        Assert.False(blotter.HasWorkingOrders);
        Assert.True(blotter.HasUnsettledChildren);
    }

    [Fact]
    public async Task The_newest_200_are_kept_pages_older_than_twenty_are_cleared_and_a_restart_reads_the_same_orders_back()
    {
        var journal = new InMemoryOrderJournal();

        var blotter = await Trade(journal, Enumerable.Range(1, 260));

        Assert.Equal(Ids(Enumerable.Range(61, 200).Reverse()), blotter.Newest(1_000).Select(o => o.OrderId));
        Assert.Equal(26, journal.Pages.Count);
        Assert.Equal(6, journal.Pages.Count(page => page is null));
        Assert.Empty(journal.Unsealed);

        var restarted = await OrderBlotter.LoadAsync(journal);
        Assert.Equal(blotter.Newest(1_000), restarted.Newest(1_000));
        Assert.Equal("BTCUSDT-100", restarted.FindByChild("BTCUSDT-100-1")!.OrderId);
    }

    [Fact]
    public async Task Past_the_cap_an_unsealed_order_stays_however_old()
    {
        var journal = new InMemoryOrderJournal();
        var blotter = new OrderBlotter();
        blotter.Put(Order(0, OrderStatus.Working));

        await Trade(journal, Enumerable.Range(1, 210), blotter);

        var kept = blotter.Newest(1_000).Select(o => o.OrderId).ToList();
        // 211 orders: the cap dropped the oldest sealed ones (1–11), not the older working one.
        Assert.Equal(200, kept.Count);
        Assert.Equal("BTCUSDT-0", kept[^1]);
        Assert.Equal("BTCUSDT-12", kept[^2]);
    }

    [Fact]
    public async Task An_order_changed_after_it_was_sealed_leaves_its_page_and_counts_once_in_its_new_version_after_a_restart()
    {
        var journal = new InMemoryOrderJournal();
        var blotter = await Trade(journal, Enumerable.Range(1, 10));
        var late = blotter.Find("BTCUSDT-3")! with { Fees = 0.05m };

        blotter.Put(late);
        await blotter.SaveAsync(journal);

        Assert.Equal(["BTCUSDT-3"], journal.Unsealed.Select(o => o.OrderId));
        var restarted = await OrderBlotter.LoadAsync(journal);
        Assert.Equal(10, restarted.Newest(1_000).Count);
        Assert.Equal(0.05m, restarted.Find("BTCUSDT-3")!.Fees);
        Assert.Equal("BTCUSDT-3", restarted.Newest(1)[0].OrderId); // the state's version stands after the pages
    }
}
