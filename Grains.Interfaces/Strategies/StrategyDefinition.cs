namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>A strategy algorithm clients can configure: its type name, whether it trades a pair, and its tunables.</summary>
/// <param name="Model">The kind of trained model the type serves (<c>lstm</c>…), loaded from the model store; null for rule-based types.</param>
[GenerateSerializer, Immutable]
public sealed record StrategyDefinition(
    [property: Id(0)] string Type,
    [property: Id(1)] string Description,
    [property: Id(2)] bool IsPair,
    [property: Id(3)] IReadOnlyList<StrategyParameter> Parameters,
    [property: Id(4)] string? Model = null);
