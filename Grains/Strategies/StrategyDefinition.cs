namespace TradingOrleans.Grains.Strategies;

/// <summary>A strategy algorithm clients can configure: its type name, whether it trades a pair, and its tunables.</summary>
/// <param name="Model">The kind of trained model the type serves (<c>lstm</c>…), loaded from the model store; null for rule-based types.</param>
public sealed record StrategyDefinition(string Type, string Description, bool IsPair, IReadOnlyList<StrategyParameter> Parameters, string? Model = null);
