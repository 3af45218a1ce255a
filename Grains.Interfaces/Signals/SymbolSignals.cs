using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Interfaces.Signals;

/// <summary>The latest signal of each strategy on a symbol and the vote they produced.</summary>
[GenerateSerializer, Immutable]
public sealed record SymbolSignals(
    [property: Id(0)] string Symbol,
    [property: Id(1)] IReadOnlyList<Signal> Latest,
    [property: Id(2)] CombinedSignal? Combined,
    [property: Id(3)] RiskDecision? LastDecision,
    [property: Id(4)] IReadOnlyList<StrategyPerformance>? Performance = null);
