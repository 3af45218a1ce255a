namespace TradingOrleans.Grains.Strategies;

/// <summary>A strategy algorithm clients can configure: its kind name, whether it trades a pair, and its tunables.</summary>
public sealed record StrategyDefinition(string Kind, string Description, bool IsPair, IReadOnlyList<StrategyParameter> Parameters);
