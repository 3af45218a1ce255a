using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Signals;

/// <summary>How strategies' signals are voted into one target per symbol (section <c>Trading:Signals</c>).</summary>
public sealed class SignalOptions : IValidatableObject
{
    public const string SectionName = "Trading:Signals";

    /// <summary>Smallest move of the voted target exposure (in [0, 2]) worth a new order.</summary>
    [Range(0.0, 2.0)]
    public double MinimumTargetChange { get; set; } = 0.05;

    /// <summary>Half-life, in a strategy's signals, of the exponential weighting of its track record.</summary>
    [Range(1.0, 100_000.0)]
    public double PerformanceHalfLife { get; set; } = 50;

    /// <summary>Judged signals a strategy needs before its track record changes its weight (until then × 1).</summary>
    [Range(0, 100_000)]
    public int MinimumJudgedSignals { get; set; } = 20;

    /// <summary>Smallest performance factor (a strategy that is always wrong keeps this share of its weight).</summary>
    [Range(0.0, 1.0)]
    public double WeightFloor { get; set; } = 0.25;

    /// <summary>Largest performance factor.</summary>
    [Range(1.0, 10.0)]
    public double WeightCap { get; set; } = 2.0;

    /// <summary>
    /// Share of the voting weight that must agree with the vote's direction for it to stand; below it the target
    /// is flat ("no quorum"). 0 disables the quorum.
    /// </summary>
    [Range(0.0, 1.0)]
    public double Quorum { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WeightFloor > WeightCap)
        {
            yield return new ValidationResult($"WeightFloor ({WeightFloor}) must not exceed WeightCap ({WeightCap}).", [nameof(WeightFloor)]);
        }
    }
}
