namespace TradingOrleans.Grains.Interfaces.Signals;

/// <summary>The position a strategy wants to hold.</summary>
public enum SignalDirection
{
    Flat = 0,
    Long = 1,
    Short = -1,
}

/// <summary>One strategy's view on one symbol after a bar.</summary>
/// <param name="StrategyId">The <c>StrategyConfig.Id</c> that produced it.</param>
/// <param name="Strength">Conviction in [0, 1]; 0 for <see cref="SignalDirection.Flat"/>.</param>
/// <param name="Price">The price the signal was computed on (the bar's close).</param>
/// <param name="Reason">Human-readable why, e.g. "SMA(10) 101.2 crossed above SMA(30) 100.9".</param>
/// <param name="MarketTime">Close time of the bar that produced it.</param>
/// <param name="IngestedAt">Ingest time of the market data that caused it.</param>
/// <param name="Weight">The strategy's configured vote weight, stamped by the grain that runs it.</param>
[GenerateSerializer, Immutable]
public sealed record Signal(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] SignalDirection Direction,
    [property: Id(3)] double Strength,
    [property: Id(4)] decimal Price,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset MarketTime,
    [property: Id(7)] DateTimeOffset IngestedAt,
    [property: Id(8)] double Weight = 1.0)
{
    /// <summary>Direction times strength: the signed exposure the strategy asks for, in [-1, 1].</summary>
    public double Score => (int)Direction * Strength;
}

/// <summary>A strategy's vote inside a <see cref="CombinedSignal"/>.</summary>
/// <param name="Weight">The weight the vote counted with: configured weight × performance factor.</param>
/// <param name="ConfiguredWeight">The weight in the strategy's config.</param>
/// <param name="PerformanceFactor">What the strategy's attributed PnL on this symbol made of its weight.</param>
/// <param name="FullKelly">f* = p − (1 − p) / b from its hit rate and payoff ratio; null until its record is long enough.</param>
[GenerateSerializer, Immutable]
public sealed record SignalContribution(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] SignalDirection Direction,
    [property: Id(2)] double Strength,
    [property: Id(3)] double Weight,
    [property: Id(4)] double ConfiguredWeight = 1,
    [property: Id(5)] double PerformanceFactor = 1,
    [property: Id(6)] double? FullKelly = null);

/// <summary>A strategy's measured record on one symbol and what it does to its vote.</summary>
/// <param name="JudgedSignals">Signals judged by the price move until the strategy's next signal.</param>
/// <param name="HitRate">Exponentially weighted share of them that were right.</param>
/// <param name="AverageReturn">Exponentially weighted mean of score × price move.</param>
/// <param name="PerformanceFactor">What its attributed PnL over the horizon made of its configured weight.</param>
/// <param name="Explanation">Why the weight is what it is, in words.</param>
/// <param name="AttributedPnl">Its shadow book's PnL after fees on the symbol over the horizon, as last taken from the portfolio; null before any.</param>
/// <param name="AttributedNetPnl">The same since the book first traded the symbol.</param>
/// <param name="AttributedAsOf">The market time those figures were taken at.</param>
[GenerateSerializer, Immutable]
public sealed record StrategyPerformance(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] int JudgedSignals,
    [property: Id(2)] double HitRate,
    [property: Id(3)] double AverageReturn,
    [property: Id(4)] double ConfiguredWeight,
    [property: Id(5)] double PerformanceFactor,
    [property: Id(6)] double EffectiveWeight,
    [property: Id(7)] string Explanation,
    [property: Id(8)] double? PayoffRatio = null,
    [property: Id(9)] double? FullKelly = null,
    [property: Id(10)] decimal? AttributedPnl = null,
    [property: Id(11)] decimal? AttributedNetPnl = null,
    [property: Id(12)] DateTimeOffset? AttributedAsOf = null);

/// <summary>The weighted vote of every strategy on one symbol.</summary>
/// <param name="Sequence">Increases by one each time the aggregator emits a changed target for the symbol.</param>
/// <param name="TargetExposure">Signed share of the symbol's risk budget to hold, in [-1, 1].</param>
/// <param name="Reason">How the vote came out: the weighted score, the agreeing share and the quorum.</param>
/// <param name="FullKelly">The full Kelly fraction of the strategies voting the target's way, averaged by weight × strength;
/// null when none of them has a long enough record. Risk sizes with a fraction of it when Kelly sizing is on.</param>
[GenerateSerializer, Immutable]
public sealed record CombinedSignal(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long Sequence,
    [property: Id(2)] SignalDirection Direction,
    [property: Id(3)] double TargetExposure,
    [property: Id(4)] IReadOnlyList<SignalContribution> Contributions,
    [property: Id(5)] decimal Price,
    [property: Id(6)] DateTimeOffset MarketTime,
    [property: Id(7)] DateTimeOffset IngestedAt,
    [property: Id(8)] string Reason = "",
    [property: Id(9)] double? FullKelly = null);
