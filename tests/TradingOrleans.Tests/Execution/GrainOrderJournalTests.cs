using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

/// <summary>The grain-storage journal without a silo: page numbering, clearing, and what a load reads.</summary>
public sealed class GrainOrderJournalTests
{
    private static readonly DateTimeOffset At = new(2021, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static ParentOrder Order(int number) =>
        new($"BTCUSDT-{number}", "BTCUSDT", OrderSide.Buy, 1m, OrderStatus.Filled, 1m, 100m, 0m, [], [], "test", null, At, At, At);

    [Fact]
    public async Task Pages_past_the_newest_kept_are_cleared_and_a_load_reads_the_newest_pages_then_the_state()
    {
        var state = new StoredState();
        var pages = new Dictionary<int, PageGrain>();
        var journal = new GrainOrderJournal(state, n => pages.TryGetValue(n, out var page) ? page : pages[n] = new PageGrain());

        for (var number = 0; number < 4; number++)
        {
            await journal.SealAsync([Order(number)], pagesKept: 2);
        }

        await journal.SaveAsync([Order(9)]);

        Assert.Equal((4, 1), (state.State.SealedPages, state.Writes));
        Assert.Equal([true, true, false, false], pages.OrderBy(p => p.Key).Select(p => p.Value.Cleared));
        var stored = await journal.LoadAsync(pages: 2);
        Assert.Equal(["BTCUSDT-2", "BTCUSDT-3"], stored.Sealed.Select(o => o.OrderId));
        Assert.Equal(["BTCUSDT-9"], stored.Unsealed.Select(o => o.OrderId));
    }

    private sealed class StoredState : IPersistentState<ExecutionGrainState>
    {
        public ExecutionGrainState State { get; set; } = new();

        public int Writes { get; private set; }

        public string Etag => "";

        public bool RecordExists => Writes > 0;

        public Task ClearStateAsync() => throw new NotSupportedException();

        public Task ReadStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync()
        {
            Writes++;
            return Task.CompletedTask;
        }
    }

    private sealed class PageGrain : IOrderHistoryPageGrain
    {
        private IReadOnlyList<ParentOrder> _orders = [];

        public bool Cleared { get; private set; }

        public Task Write(IReadOnlyList<ParentOrder> orders)
        {
            _orders = orders;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ParentOrder>> Read() => Task.FromResult(_orders);

        public Task Clear()
        {
            (_orders, Cleared) = ([], true);
            return Task.CompletedTask;
        }
    }
}
