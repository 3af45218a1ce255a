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
    GrossExposureLimit,
    NetExposureLimit,
    CorrelatedExposureLimit,
    ValueAtRiskLimit,
    OrderRateLimit,
    OpenOrderLimit,
}

/// <summary>Limits the RiskGrain enforces; all notionals in the quote asset.</summary>
/// <param name="MaxPositionNotional">Largest absolute position value per symbol.</param>
/// <param name="MaxOrderNotional">Largest single order value; larger orders are scaled down to it.</param>
/// <param name="PositionSizeFraction">Share of equity a full-strength signal puts into one symbol, in (0, 1].</param>
/// <param name="MinOrderNotional">Orders below this value are not sent (exchange minimum, and churn control).</param>
/// <param name="AllowShortSelling">Whether a short signal may open a short position (paper/margin) or only flattens.</param>
/// <param name="DailyLossFraction">Loss since the market day's start that makes trading reducing-only; 0 disables.</param>
/// <param name="MaxDrawdownFraction">Drawdown from the equity peak that halts trading; 0 disables.</param>
/// <param name="MaxGrossExposure">Largest sum of absolute position values after a trade; 0 disables.</param>
/// <param name="MaxNetExposure">Largest absolute sum of signed position values after a trade; 0 disables.</param>
/// <param name="MaxCorrelatedExposure">Largest absolute net value of a group of highly correlated symbols; 0 disables.</param>
/// <param name="MaxValueAtRiskFraction">Largest parametric VaR of the portfolio after a trade, as a fraction of equity; 0 disables.</param>
/// <param name="MaxOrdersPerMinute">Most orders risk approves in any 60 seconds of wall time; 0 disables.</param>
/// <param name="MaxOpenOrders">Most approved orders not yet in a final state (filled or rejected) at once; 0 disables.</param>
/// <param name="KellyFraction">λ of fractional Kelly sizing: the share of equity per symbol becomes
/// clamp(λ · f*, 0, PositionSizeFraction) with f* from the voting strategies' records; 0 disables (fixed PositionSizeFraction).</param>
[GenerateSerializer, Immutable]
public sealed record RiskLimits(
    [property: Id(0)] decimal MaxPositionNotional,
    [property: Id(1)] decimal MaxOrderNotional,
    [property: Id(2)] decimal PositionSizeFraction,
    [property: Id(3)] decimal MinOrderNotional,
    [property: Id(5)] bool AllowShortSelling,
    [property: Id(6)] decimal DailyLossFraction = 0m,
    [property: Id(7)] decimal MaxDrawdownFraction = 0m,
    [property: Id(8)] decimal MaxGrossExposure = 0m,
    [property: Id(9)] decimal MaxNetExposure = 0m,
    [property: Id(10)] decimal MaxCorrelatedExposure = 0m,
    [property: Id(11)] decimal MaxValueAtRiskFraction = 0m,
    [property: Id(12)] int MaxOrdersPerMinute = 0,
    [property: Id(13)] decimal KellyFraction = 0m,
    [property: Id(14)] int MaxOpenOrders = 0);

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
/// <param name="RecentDecisions">The latest decisions of every kind (approved, scaled, rejected), newest first.</param>
/// <param name="Measures">Exposures and VaR/ES of the portfolio now (computed when asked).</param>
[GenerateSerializer, Immutable]
public sealed record RiskStatus(
    [property: Id(0)] TradingState State,
    [property: Id(1)] string? HaltReason,
    [property: Id(2)] RiskLimits Limits,
    [property: Id(3)] IReadOnlyList<RiskDecision> RecentRejections,
    [property: Id(4)] IReadOnlyList<RiskDecision>? RecentDecisions = null,
    [property: Id(5)] PortfolioRiskMeasures? Measures = null);

/// <summary>Value at Risk and expected shortfall by one method, as positive losses in the quote asset.</summary>
[GenerateSerializer, Immutable]
public sealed record ValueAtRiskFigure(
    [property: Id(0)] string Method,
    [property: Id(1)] double ValueAtRisk,
    [property: Id(2)] double ExpectedShortfall);

/// <summary>The portfolio's exposures and risk figures at one instant.</summary>
/// <param name="Confidence">Confidence of the VaR figures.</param>
/// <param name="Horizon">Horizon of the VaR figures (per-bar risk scaled by √bars).</param>
/// <param name="ReturnObservations">Return bars behind the covariance and the historical scenarios.</param>
/// <param name="ValueAtRisk">Historical simulation, parametric (variance-covariance) and Monte Carlo; empty before enough returns.</param>
[GenerateSerializer, Immutable]
public sealed record PortfolioRiskMeasures(
    [property: Id(0)] decimal Equity,
    [property: Id(1)] decimal GrossExposure,
    [property: Id(2)] decimal NetExposure,
    [property: Id(3)] double Confidence,
    [property: Id(4)] TimeSpan Horizon,
    [property: Id(5)] int ReturnObservations,
    [property: Id(6)] IReadOnlyList<ValueAtRiskFigure> ValueAtRisk);
