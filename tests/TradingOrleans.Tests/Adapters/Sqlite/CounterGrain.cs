namespace TradingOrleans.Tests.Adapters.Sqlite;

/// <summary>Test-only grain on the default storage, state name <c>counter</c>.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<CounterState> Add(decimal amount)
    {
        state.State.Count++;
        state.State.Total += amount;
        state.State.History.Add(amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await state.WriteStateAsync();
        return state.State;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public Task Reset() => state.ClearStateAsync();
}
