namespace TradingOrleans.Grains.Strategies;

/// <summary>A strategy algorithm clients can configure: its type name, whether it trades a pair, and its tunables.</summary>
public sealed record StrategyDefinition(string Type, string Description, bool IsPair, IReadOnlyList<StrategyParameter> Parameters);
