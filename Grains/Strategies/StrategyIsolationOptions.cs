using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Strategies;

/// <summary>How a symbol's strategies are kept from hurting each other (section <c>Trading:Strategies:Isolation</c>).</summary>
public sealed class StrategyIsolationOptions
{
    public const string SectionName = "Trading:Strategies:Isolation";

    /// <summary>
    /// Longest a strategy may take on one bar. A strategy over it is skipped for that bar (its signal is not waited
    /// for) and counted as failing; from then on it runs off the symbol grain's turn, so it cannot stall the others.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Failures (exceptions or overruns) within <see cref="FailureWindowBars"/> bars that quarantine a strategy.</summary>
    [Range(1, 1_000)]
    public int FailuresBeforeQuarantine { get; set; } = 3;

    /// <summary>How many of a strategy's most recent bars its failures are counted over.</summary>
    [Range(1, 1_000_000)]
    public int FailureWindowBars { get; set; } = 100;
}
