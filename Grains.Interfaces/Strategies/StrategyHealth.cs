namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>How one strategy fares on one symbol: its failures, and whether it is quarantined.</summary>
/// <param name="Quarantined">True once it failed too often: it gets no bars and has no vote until reinstated.</param>
/// <param name="QuarantineReason">Why it was quarantined (its failures, the last one named).</param>
/// <param name="RecentFailures">Failures (exceptions, time-budget overruns) within the failure window.</param>
/// <param name="TotalFailures">Failures since the strategy was (re)built on this symbol.</param>
/// <param name="LastProblem">The latest failure, with the bar it happened on.</param>
/// <param name="RunsOffTurn">
/// True when the strategy runs on the thread pool, awaited up to its time budget, rather than inside the symbol
/// grain's turn: model-served strategies always, any other strategy once it overran its budget.
/// </param>
[GenerateSerializer, Immutable]
public sealed record StrategyHealth(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] bool Quarantined,
    [property: Id(3)] string? QuarantineReason,
    [property: Id(4)] int RecentFailures,
    [property: Id(5)] long TotalFailures,
    [property: Id(6)] string? LastProblem,
    [property: Id(7)] DateTimeOffset? LastProblemAt,
    [property: Id(8)] bool RunsOffTurn);
