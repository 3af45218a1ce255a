using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>What one symbol runs: its enabled single-symbol strategies and the pair grains it feeds.</summary>
public sealed record StrategyPlan(IReadOnlyList<StrategyConfig> SingleSymbol, IReadOnlyList<string> PairKeys)
{
    public static StrategyPlan ForSymbol(string symbol, IEnumerable<StrategyConfig> configs)
    {
        var relevant = configs
            .Where(c => c.Enabled && c.Symbols.Contains(symbol, StringComparer.Ordinal))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToArray();
        return new StrategyPlan(
            [.. relevant.Where(c => !StrategyCatalog.Definitions[c.Type].IsPair)],
            [.. relevant.Where(c => StrategyCatalog.Definitions[c.Type].IsPair)
                .Select(c => StrategyConfig.PairKey(c.Symbols[0], c.Symbols[1])).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Whether a single-symbol strategy still votes on this symbol.</summary>
    public bool Runs(string strategyId) => SingleSymbol.Any(c => c.Id == strategyId);
}
