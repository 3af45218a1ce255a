namespace TradingOrleans.Tests.Adapters.Sqlite;

/// <summary>A test-only grain that persists every change through the default grain storage.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<CounterState> Add(decimal amount);

    Task<CounterState> Get();

    Task Reset();
}
