using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

[GenerateSerializer]
public sealed class OrderHistoryPageState
{
    [Id(0)] public List<ParentOrder> Orders { get; set; } = [];
}

/// <summary>
/// A page of finished orders in grain storage (SQLite or Redis, whichever the silo uses). Pages are touched when the
/// execution grain seals one or activates, so each call ends the activation instead of keeping it in memory.
/// </summary>
public sealed class OrderHistoryPageGrain([PersistentState("order-history")] IPersistentState<OrderHistoryPageState> state)
    : Grain, IOrderHistoryPageGrain
{
    async Task IOrderHistoryPageGrain.Write(IReadOnlyList<ParentOrder> orders)
    {
        state.State.Orders = [.. orders];
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    Task<IReadOnlyList<ParentOrder>> IOrderHistoryPageGrain.Read()
    {
        DeactivateOnIdle();
        return Task.FromResult<IReadOnlyList<ParentOrder>>(state.State.Orders);
    }

    async Task IOrderHistoryPageGrain.Clear()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
