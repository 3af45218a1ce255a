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

/// <summary>Why risk did not pass a combined signal or an order on.</summary>
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

    /// <summary>Less than the instrument's minimum quantity or order value (its <see cref="InstrumentRules"/>).</summary>
    BelowInstrumentMinimum,

    /// <summary>The signal reached risk older than the configured age: dropped, the next bar restates the target.</summary>
    StaleSignal,

    /// <summary>Risk or the portfolio did not answer in time or its circuit is open: a passing fault, the order is retried.</summary>
    OrderPathDegraded,

    /// <summary>
    /// Spot account (<c>Testnet</c>, <c>Live</c>): a buy's value and fee exceed the free quote balance less what open buys
    /// committed, or a sell exceeds the free base balance less what open sells committed.
    /// </summary>
    InsufficientBalance,
}

/// <summary>What the order path lets through while risk or the portfolio is slow or failing.</summary>
public enum OrderPathMode
{
    Normal,

    /// <summary>No new order passes until the failing hop recovers.</summary>
    Hold,

    /// <summary>Only orders that shrink a position pass, judged on the portfolio's last answer.</summary>
    ReduceOnly,
}

/// <summary>
/// The approved orders of one symbol not yet final: their signed quantity, counted as held by the portfolio-wide limits,
/// and the newest one's reference price, at which they are valued while the portfolio has no mark of the symbol yet.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct PendingQuantity([property: Id(0)] decimal Quantity, [property: Id(1)] decimal ReferencePrice);

/// <summary>The order path's state as one silo sees it: degraded while the circuit of risk or the portfolio is open.</summary>
/// <param name="Reason">Which hop failed and how; null when <see cref="OrderPathMode.Normal"/>.</param>
/// <param name="Since">When the order path became degraded.</param>
[GenerateSerializer, Immutable]
public sealed record OrderPathCondition(
    [property: Id(0)] OrderPathMode Mode,
    [property: Id(1)] string? Reason = null,
    [property: Id(2)] DateTimeOffset? Since = null)
{
    public static readonly OrderPathCondition Healthy = new(OrderPathMode.Normal);
}

/// <summary>Risk's answer to one combined signal: an order intent, or the reason there is none.</summary>
/// <param name="TargetReached">False when the order was scaled down to the order limit and more must follow to reach the target.</param>
/// <param name="PositionSizeFraction">
/// For a signal's decision, the position size fraction of the limits it was made under, with which the shadow books size
/// the signal's target; null for an order that is not a signal's.
/// </param>
[GenerateSerializer, Immutable]
public sealed record RiskDecision(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long SignalSequence,
    [property: Id(2)] OrderIntent? Intent,
    [property: Id(3)] RiskRejectionReason Rejection,
    [property: Id(4)] string Explanation,
    [property: Id(5)] DateTimeOffset DecidedAt,
    [property: Id(6)] bool TargetReached = true,
    [property: Id(7)] decimal? PositionSizeFraction = null)
{
    public bool Approved => Intent is not null;
}

/// <summary>Where the kill switch and the loss stops stand, and why (null when active).</summary>
[GenerateSerializer, Immutable]
public sealed record TradingStateChange(
    [property: Id(0)] TradingState State,
    [property: Id(1)] string? Reason);

/// <summary>Risk's current state for the API.</summary>
/// <param name="RecentDecisions">The latest decisions of every kind (approved, scaled, rejected), newest first.</param>
/// <param name="Measures">Exposures and VaR/ES of the portfolio now (computed when asked).</param>
/// <param name="OrderPath">Whether new orders are held or reduce-only because risk or the portfolio is slow or failing.</param>
[GenerateSerializer, Immutable]
public sealed record RiskStatus(
    [property: Id(0)] TradingState State,
    [property: Id(1)] string? HaltReason,
    [property: Id(2)] RiskLimits Limits,
    [property: Id(3)] IReadOnlyList<RiskDecision> RecentRejections,
    [property: Id(4)] IReadOnlyList<RiskDecision>? RecentDecisions = null,
    [property: Id(5)] PortfolioRiskMeasures? Measures = null,
    [property: Id(6)] OrderPathCondition? OrderPath = null);

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
