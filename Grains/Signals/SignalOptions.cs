using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Signals;

/// <summary>How strategies' signals are voted into one target per symbol (section <c>Trading:Signals</c>).</summary>
public sealed class SignalOptions : IValidatableObject
{
    public const string SectionName = "Trading:Signals";

    /// <summary>Smallest move of the voted target exposure (in [0, 2]) worth a new order.</summary>
    [Range(0.0, 2.0)]
    public double MinimumTargetChange { get; set; } = 0.05;

    /// <summary>
    /// The market time over which a strategy's attributed PnL after fees (its shadow book on the symbol) sets its
    /// performance factor.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan PerformanceHorizon { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often, in market time, an aggregator takes its strategies' attributed PnL from the portfolio and re-weighs them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan PerformanceUpdateEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// η in the performance factor exp(η × r), r being the PnL over the horizon as a share of a full-strength
    /// position: at 20 a strategy that made 3.5 % of a full position doubles its weight, one that lost it halves it.
    /// </summary>
    [Range(0.0, 1_000.0)]
    public double PnlSensitivity { get; set; } = 20;

    /// <summary>Half-life, in a strategy's signals, of the exponential weighting of its hit rate and payoff ratio.</summary>
    [Range(1.0, 100_000.0)]
    public double PerformanceHalfLife { get; set; } = 50;

    /// <summary>Judged signals a strategy needs before its hit rate and payoff ratio give a Kelly fraction.</summary>
    [Range(0, 100_000)]
    public int MinimumJudgedSignals { get; set; } = 20;

    /// <summary>Smallest performance factor (a strategy losing steadily keeps this share of its weight).</summary>
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

        if (PerformanceUpdateEvery > PerformanceHorizon)
        {
            yield return new ValidationResult(
                $"PerformanceUpdateEvery ({PerformanceUpdateEvery}) must not exceed PerformanceHorizon ({PerformanceHorizon}).", [nameof(PerformanceUpdateEvery)]);
        }
    }
}
