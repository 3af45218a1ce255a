using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Interfaces.Risk;

/// <summary>Whether new risk may be taken (the kill switch and the drawdown stop set <see cref="Halted"/>).</summary>
public enum TradingState
{
    Active,

    /// <summary>Only orders that shrink a position pass (the daily-loss stop sets it until the next day).</summary>
    Reducing,
    Halted,
}

/// <summary>Why risk did not pass a combined signal on as an order.</summary>
public enum RiskRejectionReason
{
    None,
    TradingHalted,
    NoPriceAvailable,
    AlreadyAtTarget,
    BelowMinimumNotional,
    PositionLimitReached,
    ShortSellingDisabled,
    ReducingOnly,
}

/// <summary>Limits the RiskGrain enforces; all notionals in the quote asset.</summary>
/// <param name="MaxPositionNotional">Largest absolute position value per symbol.</param>
/// <param name="MaxOrderNotional">Largest single order value; larger orders are scaled down to it.</param>
/// <param name="PositionSizeFraction">Share of equity a full-strength signal puts into one symbol, in (0, 1].</param>
/// <param name="MinOrderNotional">Orders below this value are not sent (exchange minimum, and churn control).</param>
/// <param name="QuantityStep">Order quantities are rounded down to a multiple of this (lot size).</param>
/// <param name="AllowShortSelling">Whether a short signal may open a short position (paper/margin) or only flattens.</param>
/// <param name="DailyLossFraction">Loss since the market day's start that makes trading reducing-only; 0 disables.</param>
/// <param name="MaxDrawdownFraction">Drawdown from the equity peak that halts trading; 0 disables.</param>
[GenerateSerializer, Immutable]
public sealed record RiskLimits(
    [property: Id(0)] decimal MaxPositionNotional,
    [property: Id(1)] decimal MaxOrderNotional,
    [property: Id(2)] decimal PositionSizeFraction,
    [property: Id(3)] decimal MinOrderNotional,
    [property: Id(4)] decimal QuantityStep,
    [property: Id(5)] bool AllowShortSelling,
    [property: Id(6)] decimal DailyLossFraction = 0m,
    [property: Id(7)] decimal MaxDrawdownFraction = 0m);

/// <summary>Risk's answer to one combined signal: an order intent, or the reason there is none.</summary>
/// <param name="TargetReached">False when the order was scaled down to the order limit and more must follow to reach the target.</param>
[GenerateSerializer, Immutable]
public sealed record RiskDecision(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long SignalSequence,
    [property: Id(2)] OrderIntent? Intent,
    [property: Id(3)] RiskRejectionReason Rejection,
    [property: Id(4)] string Explanation,
    [property: Id(5)] DateTimeOffset DecidedAt,
    [property: Id(6)] bool TargetReached = true)
{
    public bool Approved => Intent is not null;
}

/// <summary>Risk's current state for the API.</summary>
[GenerateSerializer, Immutable]
public sealed record RiskStatus(
    [property: Id(0)] TradingState State,
    [property: Id(1)] string? HaltReason,
    [property: Id(2)] RiskLimits Limits,
    [property: Id(3)] IReadOnlyList<RiskDecision> RecentRejections);
