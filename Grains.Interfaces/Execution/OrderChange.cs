namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>The result of a cancel or amend: the order as it is now, or why the change was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderChange(
    [property: Id(0)] ParentOrder? Order,
    [property: Id(1)] string? Problem);
