using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>What a PairGrain shows to the API for one pair strategy.</summary>
/// <param name="HedgeRatio">Units of ln B held against one unit of ln A in the spread.</param>
/// <param name="Strength">Conviction of the legs' latest signals, in [0, 1].</param>
/// <param name="Cointegration">The latest cointegration test (Johansen pair strategies only).</param>
/// <param name="Holding">The legs the strategy holds (its sub-positions, from its baskets' fills) and its spread PnL.</param>
[GenerateSerializer, Immutable]
public sealed record PairState(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string LegA,
    [property: Id(2)] string LegB,
    [property: Id(3)] double? HedgeRatio,
    [property: Id(4)] double? SpreadZScore,
    [property: Id(5)] int AlignedBars,
    [property: Id(6)] SignalDirection SpreadPosition,
    [property: Id(7)] string Type = "",
    [property: Id(8)] double Strength = 0,
    [property: Id(9)] string? Reason = null,
    [property: Id(10)] PairCointegration? Cointegration = null,
    [property: Id(11)] SpreadHolding? Holding = null);
