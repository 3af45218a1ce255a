using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Persisted part of an ExecutionGrain: the orders of its symbol not in a sealed history page, oldest first.</summary>
[GenerateSerializer]
public sealed class ExecutionGrainState
{
    /// <summary>The orders not in a sealed history page: the live ones and the newest finished ones.</summary>
    [Id(0)] public List<ParentOrder> Orders { get; set; } = [];

    /// <summary>History pages sealed so far (<see cref="IOrderHistoryPageGrain"/> <c>{symbol}/0</c> … <c>{symbol}/{n-1}</c>).</summary>
    [Id(1)] public int SealedPages { get; set; }
}

/// <summary>
/// The order journal in grain storage (SQLite or Redis, whichever the silo uses): the unsealed orders and the page
/// count in the execution grain's own state, each sealed page in an <see cref="IOrderHistoryPageGrain"/>.
/// </summary>
/// <param name="page">The history page grain of page n (<c>{symbol}/{n}</c>).</param>
public sealed class GrainOrderJournal(IPersistentState<ExecutionGrainState> state, Func<int, IOrderHistoryPageGrain> page) : IOrderJournal
{
    public async Task<StoredOrders> LoadAsync(int pages)
    {
        var first = Math.Max(0, state.State.SealedPages - pages);
        var sealedPages = await Task.WhenAll(Enumerable.Range(first, state.State.SealedPages - first).Select(n => page(n).Read()));
        return new StoredOrders([.. sealedPages.SelectMany(orders => orders)], state.State.Orders);
    }

    public async Task SealAsync(IReadOnlyList<ParentOrder> orders, int pagesKept)
    {
        // The new count is written with the next SaveAsync; until then the written state still holds these orders, so a
        // restart in between loses none and writes the page again.
        await page(state.State.SealedPages).Write(orders);
        state.State.SealedPages++;
        if (state.State.SealedPages > pagesKept)
        {
            await page(state.State.SealedPages - pagesKept - 1).Clear();
        }
    }

    public Task SaveAsync(IReadOnlyList<ParentOrder> unsealed)
    {
        state.State.Orders = [.. unsealed];
        return state.WriteStateAsync();
    }
}
