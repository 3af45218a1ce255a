using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Strategies;

/// <summary>How pair strategies' spreads are placed and kept in their hedge ratio (section <c>Trading:Pairs</c>).</summary>
public sealed class PairOptions
{
    public const string SectionName = "Trading:Pairs";

    /// <summary>
    /// The longest a basket's legs may be not all filled after they went out: then what is open is cancelled and what
    /// filled is unwound, so no leg is held alone longer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxLegAloneTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far a re-estimated hedge ratio β must move from the one the held legs were sized on before they are
    /// re-hedged to it (absolute, in units of β); 0 re-hedges at every re-estimate.
    /// </summary>
    [Range(0.0, 10.0)]
    public double MinimumHedgeRatioChange { get; set; } = 0.02;
}
