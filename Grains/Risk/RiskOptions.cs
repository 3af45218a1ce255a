using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>
/// The risk model's parameters (section <c>Trading:Risk</c>): how correlation and VaR are estimated. The limits in
/// the same section bind to <see cref="RiskLimits"/>, which the API can change; these only change with the configuration.
/// </summary>
public sealed class RiskOptions
{
    public const string SectionName = "Trading:Risk";

    /// <summary>Return correlation at or above which two symbols count as one group for <see cref="RiskLimits.MaxCorrelatedExposure"/>.</summary>
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

    /// <summary>
    /// The oldest a combined signal may be when it reaches risk, counted from the ingest of the market data that caused it
    /// (wall clock, live and replay alike); older ones are dropped (<c>StaleSignal</c>) and the next bar restates the target.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxSignalAge { get; set; } = TimeSpan.FromSeconds(30);
}
