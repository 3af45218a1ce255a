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

    /// <summary>Lot size in the base asset: order quantities are rounded down to a multiple of it.</summary>
    [Range(typeof(decimal), "0.00000001", "1000000")]
    public decimal QuantityStep { get; set; } = 0.00001m;

    /// <summary>Drawdown from the equity peak, as a fraction, that halts trading until a person resumes it; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal MaxDrawdownFraction { get; set; } = 0.25m;

    /// <summary>Loss since the start of the (market) day, as a fraction of that day's first equity, that makes trading reducing-only until the next day; 0 disables.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal DailyLossFraction { get; set; } = 0.05m;

    /// <summary>Whether a short target may open a short position (paper or margin) or only flattens a long.</summary>
    public bool AllowShortSelling { get; set; } = true;

    public RiskLimits ToLimits() =>
        new(MaxPositionNotional, MaxOrderNotional, PositionSizeFraction, MinOrderNotional, QuantityStep, AllowShortSelling, DailyLossFraction, MaxDrawdownFraction);

    /// <summary>The options that produce <paramref name="limits"/>, so the same range checks validate limits sent over the API.</summary>
    public static RiskOptions From(RiskLimits limits) => new()
    {
        MaxPositionNotional = limits.MaxPositionNotional,
        MaxOrderNotional = limits.MaxOrderNotional,
        PositionSizeFraction = limits.PositionSizeFraction,
        MinOrderNotional = limits.MinOrderNotional,
        QuantityStep = limits.QuantityStep,
        AllowShortSelling = limits.AllowShortSelling,
        DailyLossFraction = limits.DailyLossFraction,
        MaxDrawdownFraction = limits.MaxDrawdownFraction,
    };
}
