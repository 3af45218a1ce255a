using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>The latest cointegration test of a Johansen pair strategy, on its rolling window of log prices.</summary>
/// <param name="TestedAt">Close time of the newest bar in the tested window.</param>
/// <param name="Cointegrated">Whether the trace test found rank ≥ 1 at <see cref="Confidence"/>; the strategy trades only then.</param>
/// <param name="TraceStatistic">The trace statistic for rank 0 (no cointegration).</param>
/// <param name="TraceCriticalValue">Its critical value at <see cref="Confidence"/>.</param>
/// <param name="HedgeRatio">β from the first cointegrating vector: the spread is ln A − β ln B.</param>
/// <param name="SpreadMean">Mean of the spread over the window; z-scores are measured from it.</param>
/// <param name="SpreadStandardDeviation">Standard deviation of the spread over the window.</param>
/// <param name="HalfLifeBars">Mean-reversion half-life of the spread; null when it does not revert.</param>
[GenerateSerializer, Immutable]
public sealed record PairCointegration(
    [property: Id(0)] DateTimeOffset TestedAt,
    [property: Id(1)] int WindowBars,
    [property: Id(2)] double Confidence,
    [property: Id(3)] bool Cointegrated,
    [property: Id(4)] double TraceStatistic,
    [property: Id(5)] double TraceCriticalValue,
    [property: Id(6)] double HedgeRatio,
    [property: Id(7)] double SpreadMean,
    [property: Id(8)] double SpreadStandardDeviation,
    [property: Id(9)] double? HalfLifeBars,
    [property: Id(10)] JohansenResult Johansen);
