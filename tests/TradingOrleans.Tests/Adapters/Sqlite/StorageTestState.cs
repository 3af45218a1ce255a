using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Adapters.Sqlite;

/// <summary>A state shaped like ours at their most awkward: a positional record of read-only and mutable collections and decimals.</summary>
[GenerateSerializer]
public sealed record StorageTestState(
    [property: Id(0)] string Account,
    [property: Id(1)] decimal Cash,
    [property: Id(2)] IReadOnlyList<decimal> Marks,
    [property: Id(3)] IReadOnlyDictionary<string, decimal> Limits,
    [property: Id(4)] Dictionary<string, PositionState> Positions,
    [property: Id(5)] HashSet<string> Tags,
    [property: Id(6)] DateTimeOffset AsOf);
