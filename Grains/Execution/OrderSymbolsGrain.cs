using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Persisted part of the <see cref="OrderSymbolsGrain"/>.</summary>
[GenerateSerializer]
public sealed class OrderSymbolsState
{
    [Id(0)] public List<string> Symbols { get; set; } = [];
}

/// <summary>
/// The symbols the order entry has sent orders to: written once per new symbol. It calls no grain, so the order path
/// that adds to it can never wait in a cycle.
/// </summary>
public sealed class OrderSymbolsGrain([PersistentState("order-symbols")] IPersistentState<OrderSymbolsState> state)
    : Grain, IOrderSymbolsGrain
{
    async Task IOrderSymbolsGrain.Add(string symbol)
    {
        if (!state.State.Symbols.Contains(symbol, StringComparer.Ordinal))
        {
            state.State.Symbols.Add(symbol);
            await state.WriteStateAsync();
        }
    }

    Task<IReadOnlyList<string>> IOrderSymbolsGrain.GetSymbols() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Symbols]);
}
