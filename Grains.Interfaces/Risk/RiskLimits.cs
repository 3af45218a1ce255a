using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Interfaces.Risk;

/// <summary>
/// The limits risk enforces, each declared once: bound from <c>Trading:Risk</c> (validated at start-up), changed with
/// <c>PUT /risk/limits</c> (validated by the same ranges), persisted with the RiskGrain. Notionals in the quote asset.
/// </summary>
/// <remarks>The ids are those of the positional record this replaced, so limits saved before still load (id 4 was QuantityStep).</remarks>
[GenerateSerializer, Immutable]
public sealed record RiskLimits
{
    /// <summary>Largest absolute position value per symbol, in the quote asset.</summary>
    [Id(0), Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxPositionNotional { get; init; } = 25_000m;

    /// <summary>Largest single order value, in the quote asset; larger orders are scaled down to it.</summary>
    [Id(1), Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxOrderNotional { get; init; } = 10_000m;

    /// <summary>Share of equity a full-strength signal puts into one symbol, a fraction in (0, 1].</summary>
    [Id(2), Range(typeof(decimal), "0.0001", "1")]
    public decimal PositionSizeFraction { get; init; } = 0.2m;

    /// <summary>Orders worth less than this, in the quote asset, are not sent (exchange minimum and churn control).</summary>
    [Id(3), Range(typeof(decimal), "0", "1000000000")]
    public decimal MinOrderNotional { get; init; } = 10m;

    /// <summary>Whether a short target may open a short position (paper or margin) or only flattens a long.</summary>
    [Id(5)]
    public bool AllowShortSelling { get; init; } = true;

    /// <summary>Loss since the start of the (market) day, as a fraction of that day's first equity, that makes trading reducing-only until the next day; 0 disables.</summary>
    [Id(6), Range(typeof(decimal), "0", "1")]
    public decimal DailyLossFraction { get; init; } = 0.05m;

    /// <summary>Drawdown from the equity peak, as a fraction, that halts trading until a person resumes it; 0 disables.</summary>
    [Id(7), Range(typeof(decimal), "0", "1")]
    public decimal MaxDrawdownFraction { get; init; } = 0.25m;

    /// <summary>Largest sum of absolute position values after a trade, in the quote asset; 0 disables.</summary>
    [Id(8), Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxGrossExposure { get; init; } = 100_000m;

    /// <summary>Largest absolute sum of signed position values (longs minus shorts) after a trade; 0 disables.</summary>
    [Id(9), Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxNetExposure { get; init; } = 75_000m;

    /// <summary>
    /// Largest absolute net value held in the traded symbol and every symbol whose return correlation with it is at
    /// least <c>Trading:Risk:CorrelationThreshold</c>; 0 disables.
    /// </summary>
    [Id(10), Range(typeof(decimal), "0", "1000000000000")]
    public decimal MaxCorrelatedExposure { get; init; } = 60_000m;

    /// <summary>Largest parametric VaR of the portfolio after a trade, as a fraction of equity; 0 disables.</summary>
    [Id(11), Range(typeof(decimal), "0", "1")]
    public decimal MaxValueAtRiskFraction { get; init; } = 0.08m;

    /// <summary>Most orders approved in any 60 seconds of wall time (protects the venue and catches runaway loops); 0 disables.</summary>
    [Id(12), Range(0, 1_000_000)]
    public int MaxOrdersPerMinute { get; init; } = 600;

    /// <summary>
    /// λ of fractional Kelly sizing: the share of equity a signal puts into a symbol becomes clamp(λ · f*, 0,
    /// <see cref="PositionSizeFraction"/>), f* = p − (1 − p) / b from the voting strategies' hit rate p and payoff
    /// ratio b (weighted by their weight × strength). 0 disables it: every signal sizes at PositionSizeFraction.
    /// </summary>
    [Id(13), Range(typeof(decimal), "0", "1")]
    public decimal KellyFraction { get; init; }

    /// <summary>Most approved orders not yet filled or rejected at once (working TWAP/VWAP parents count); 0 disables.</summary>
    [Id(14), Range(0, 100_000)]
    public int MaxOpenOrders { get; init; } = 50;
}
