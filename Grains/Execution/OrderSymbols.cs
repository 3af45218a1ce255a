using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Execution;

/// <summary>Where orders can be: the symbols whose execution grains may keep some.</summary>
internal static class OrderSymbols
{
    /// <summary>
    /// Those the order entry recorded, and every symbol with a strategy or a position, which covers the orders placed
    /// before the record was kept. Asked by lookups only, never on the order path.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WithOrders(IGrainFactory grains)
    {
        var configs = grains.GetGrain<IStrategyRegistryGrain>(0).List();
        var portfolio = grains.GetGrain<IPortfolioGrain>(0).GetSnapshot();
        var recorded = grains.GetGrain<IOrderSymbolsGrain>(0).GetSymbols();
        await Task.WhenAll(configs, portfolio, recorded);
        return [.. (await configs).SelectMany(c => c.Symbols)
            .Concat((await portfolio).Positions.Select(p => p.Symbol))
            .Concat(await recorded)
            .Distinct(StringComparer.Ordinal)];
    }
}
