namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>
/// The order entry's record of the symbols it has sent orders to (key 0), so an order is found by its id alone. A
/// symbol is added once, alongside its first order, and never removed: its orders stay with its execution grain.
/// </summary>
public interface IOrderSymbolsGrain : IGrainWithIntegerKey
{
    /// <summary>Records a symbol (stored only the first time it is added).</summary>
    Task Add(string symbol);

    /// <summary>Every recorded symbol.</summary>
    Task<IReadOnlyList<string>> GetSymbols();
}
