using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>Position sizing and limits (section <c>Trading:Risk</c>); notionals in the quote asset.</summary>
public sealed class RiskOptions
{
    public const string SectionName = "Trading:Risk";

    /// <summary>Largest absolute position value per symbol, in the quote asset.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxPositionNotional { get; set; } = 25_000m;

    /// <summary>Largest single order value, in the quote asset; larger orders are scaled down to it.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxOrderNotional { get; set; } = 10_000m;

    /// <summary>Share of equity a full-strength signal puts into one symbol, a fraction in (0, 1].</summary>
    [Range(typeof(decimal), "0.0001", "1")]
    public decimal PositionSizeFraction { get; set; } = 0.2m;

    /// <summary>Orders worth less than this, in the quote asset, are not sent (exchange minimum and churn control).</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MinOrderNotional { get; set; } = 10m;

    /// <summary>Drawdown from the equity peak, as a fraction, that halts trading until a person resumes it; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal MaxDrawdownFraction { get; set; } = 0.25m;

    /// <summary>Loss since the start of the (market) day, as a fraction of that day's first equity, that makes trading reducing-only until the next day; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal DailyLossFraction { get; set; } = 0.05m;

    /// <summary>Whether a short target may open a short position (paper or margin) or only flattens a long.</summary>
    public bool AllowShortSelling { get; set; } = true;

    /// <summary>Largest sum of absolute position values after a trade, in the quote asset; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxGrossExposure { get; set; } = 100_000m;

    /// <summary>Largest absolute sum of signed position values (longs minus shorts) after a trade; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxNetExposure { get; set; } = 75_000m;

    /// <summary>
    /// Largest absolute net value held in the traded symbol and every symbol whose return correlation with it is at
    /// least <see cref="CorrelationThreshold"/>; 0 disables.
    /// </summary>
    [Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxCorrelatedExposure { get; set; } = 60_000m;

    /// <summary>Largest parametric VaR of the portfolio after a trade, as a fraction of equity; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal MaxValueAtRiskFraction { get; set; } = 0.08m;

    /// <summary>Most orders approved in any 60 seconds of wall time (protects the venue and catches runaway loops); 0 disables.</summary>
    [Range(0, 1_000_000)]
    public int MaxOrdersPerMinute { get; set; } = 600;

    /// <summary>Most approved orders not yet filled or rejected at once (working TWAP/VWAP parents count); 0 disables.</summary>
    [Range(0, 100_000)]
    public int MaxOpenOrders { get; set; } = 50;

    /// <summary>
    /// λ of fractional Kelly sizing: the share of equity a signal puts into a symbol becomes clamp(λ · f*, 0,
    /// <see cref="PositionSizeFraction"/>), f* = p − (1 − p) / b from the voting strategies' hit rate p and payoff
    /// ratio b (weighted by their weight × strength). 0 disables it: every signal sizes at PositionSizeFraction.
    /// </summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal KellyFraction { get; set; }

    /// <summary>Return correlation at or above which two symbols count as one group for <see cref="MaxCorrelatedExposure"/>.</summary>
    [Range(0.0, 1.0)]
    public double CorrelationThreshold { get; set; } = 0.8;

    /// <summary>Confidence of the VaR limit and of the VaR figures on <c>GET /risk</c>.</summary>
    [Range(0.5, 0.9999)]
    public double ValueAtRiskConfidence { get; set; } = 0.99;

    /// <summary>Horizon of the VaR figures; per-bar risk is scaled by √(horizon / bar length).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ValueAtRiskHorizon { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Return bars needed before the covariance is trusted for the VaR and correlation limits.</summary>
    [Range(2, 1_000_000)]
    public int MinimumReturnObservations { get; set; } = 50;

    public RiskLimits ToLimits() =>
        new(MaxPositionNotional, MaxOrderNotional, PositionSizeFraction, MinOrderNotional, AllowShortSelling, DailyLossFraction,
            MaxDrawdownFraction, MaxGrossExposure, MaxNetExposure, MaxCorrelatedExposure, MaxValueAtRiskFraction, MaxOrdersPerMinute, KellyFraction, MaxOpenOrders);

    /// <summary>The options that produce <paramref name="limits"/>, so the same range checks validate limits sent over the API.</summary>
    public static RiskOptions From(RiskLimits limits) => new()
    {
        MaxPositionNotional = limits.MaxPositionNotional,
        MaxOrderNotional = limits.MaxOrderNotional,
        PositionSizeFraction = limits.PositionSizeFraction,
        MinOrderNotional = limits.MinOrderNotional,
        AllowShortSelling = limits.AllowShortSelling,
        DailyLossFraction = limits.DailyLossFraction,
        MaxDrawdownFraction = limits.MaxDrawdownFraction,
        MaxGrossExposure = limits.MaxGrossExposure,
        MaxNetExposure = limits.MaxNetExposure,
        MaxCorrelatedExposure = limits.MaxCorrelatedExposure,
        MaxValueAtRiskFraction = limits.MaxValueAtRiskFraction,
        MaxOrdersPerMinute = limits.MaxOrdersPerMinute,
        KellyFraction = limits.KellyFraction,
        MaxOpenOrders = limits.MaxOpenOrders,
    };
}
