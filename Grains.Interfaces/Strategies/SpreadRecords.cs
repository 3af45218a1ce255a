using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>
/// The spread position a pair strategy wants, sent by its PairGrain when the position or the hedge ratio changes:
/// risk sizes both legs as one unit and execution places them as one basket.
/// </summary>
/// <param name="Position">Long = long the spread ln A − β ln B (buy N of A, sell β·N of B in notional); Flat closes it.</param>
/// <param name="HedgeRatio">β of the spread ln A − β ln B: leg B's notional is −β times leg A's.</param>
/// <param name="PriceA">Leg A's close the target was computed on.</param>
/// <param name="Sequence">Increases with every target the strategy sends; part of the legs' intent ids.</param>
/// <param name="IngestedAt">Ingest time of the later of the two aligned bars.</param>
[GenerateSerializer, Immutable]
public sealed record SpreadTarget(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string LegA,
    [property: Id(2)] string LegB,
    [property: Id(3)] SignalDirection Position,
    [property: Id(4)] double HedgeRatio,
    [property: Id(5)] decimal PriceA,
    [property: Id(6)] decimal PriceB,
    [property: Id(7)] long Sequence,
    [property: Id(8)] string Reason,
    [property: Id(9)] DateTimeOffset MarketTime,
    [property: Id(10)] DateTimeOffset IngestedAt);

/// <summary>Risk's one decision on both legs of a spread target: the sub-positions and the two leg orders, or why none.</summary>
/// <param name="QuantityA">Leg A's sub-position of the strategy after the basket (signed, whole lots).</param>
/// <param name="Legs">The leg orders (a leg whose sub-position does not change has none); empty when refused.</param>
/// <param name="TargetReached">False when the order limit cut the spread short of its size: the target is sent again.</param>
[GenerateSerializer, Immutable]
public sealed record SpreadDecision(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] decimal QuantityA,
    [property: Id(3)] decimal QuantityB,
    [property: Id(4)] IReadOnlyList<OrderIntent> Legs,
    [property: Id(5)] RiskRejectionReason Rejection,
    [property: Id(6)] string Explanation,
    [property: Id(7)] DateTimeOffset DecidedAt,
    [property: Id(8)] bool TargetReached = true)
{
    public bool Approved => Rejection == RiskRejectionReason.None;
}

/// <summary>Where a basket stands.</summary>
public enum BasketStatus
{
    /// <summary>Risk refused the spread target whole: no leg was sent.</summary>
    Refused,

    /// <summary>Every leg filled.</summary>
    Completed,

    /// <summary>A leg is still working at its venue: the basket is settled again at the latest after the leg-alone time.</summary>
    Working,

    /// <summary>A leg was refused or failed, or did not fill in time: the legs were cancelled and what filled was sold or bought back.</summary>
    Unwound,

    /// <summary>A passing fault of the order path (risk did not answer, no venue): nothing was sent; the target is sent again.</summary>
    Faulted,

    /// <summary>
    /// Being unwound: an unwinding order (or a leg being cancelled) is not final yet; the basket is looked at again like a
    /// working one, and is <see cref="Unwound"/> once they all are.
    /// </summary>
    Unwinding,
}

/// <summary>What became of one spread target: risk's decision, the leg orders (and unwinding orders) as execution has them.</summary>
/// <param name="SentAt">When the legs went out (wall clock): a leg is not left alone longer than the leg-alone time after it.</param>
/// <param name="Note">Why a basket was unwound, or the fault that stopped it.</param>
[GenerateSerializer, Immutable]
public sealed record BasketOutcome(
    [property: Id(0)] SpreadDecision Decision,
    [property: Id(1)] BasketStatus Status,
    [property: Id(2)] IReadOnlyList<ParentOrder> Orders,
    [property: Id(3)] DateTimeOffset SentAt,
    [property: Id(4)] string? Note = null);

/// <summary>A pair strategy's held legs and their PnL, from the fills of its own basket orders.</summary>
/// <param name="QuantityA">Leg A held by this strategy (its sub-position, as filled).</param>
/// <param name="NotionalA">QuantityA at leg A's last close.</param>
/// <param name="HeldHedgeRatio">−NotionalB / NotionalA: the β the held legs amount to (null when leg A is flat).</param>
/// <param name="RealizedPnl">Closed-quantity profit of both legs, before fees.</param>
/// <param name="UnrealizedPnl">Open quantities at the last closes against their average costs.</param>
/// <param name="NetPnl">Realised + unrealised − fees: the spread PnL.</param>
/// <param name="LastBasket">The status of the latest basket, and its note.</param>
[GenerateSerializer, Immutable]
public sealed record SpreadHolding(
    [property: Id(0)] decimal QuantityA,
    [property: Id(1)] decimal QuantityB,
    [property: Id(2)] decimal NotionalA,
    [property: Id(3)] decimal NotionalB,
    [property: Id(4)] double? HeldHedgeRatio,
    [property: Id(5)] decimal RealizedPnl,
    [property: Id(6)] decimal UnrealizedPnl,
    [property: Id(7)] decimal Fees,
    [property: Id(8)] decimal NetPnl,
    [property: Id(9)] BasketStatus? LastBasket,
    [property: Id(10)] string? LastBasketNote,
    [property: Id(11)] int Baskets,
    [property: Id(12)] int Unwinds);
