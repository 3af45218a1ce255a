using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// How long each hop of a signal's order path may take, when a hop's circuit opens, what passes while risk or the
/// portfolio is failing, and how an order a passing fault stopped is retried (section <c>Trading:OrderPath</c>).
/// Execution → venue is bounded by <see cref="ExecutionOptions.VenueAnswerWait"/> and each venue's own breaker.
/// </summary>
public sealed class OrderPathOptions : IValidatableObject
{
    public const string SectionName = "Trading:OrderPath";

    /// <summary>The longest a signal waits for risk's decision (which includes risk's wait for the portfolio).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan RiskTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest risk waits for the portfolio's view of a symbol.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan PortfolioTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest an approved order waits for the symbol's execution grain to take it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of failed calls (timeouts included) within <see cref="BreakerSamplingDuration"/> that opens a hop's circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="BreakerSamplingDuration"/> before the failure ratio counts.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 2;

    /// <summary>The window the failure ratio is measured over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit refuses calls before one trial call is let through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What passes while the portfolio's circuit is open: <see cref="OrderPathMode.Hold"/> (nothing) or
    /// <see cref="OrderPathMode.ReduceOnly"/> (orders that shrink a position, judged on the portfolio's last answer).
    /// While risk's own circuit is open nothing can judge an order, so orders hold in either mode.
    /// </summary>
    public OrderPathMode WhenDegraded { get; set; } = OrderPathMode.Hold;

    /// <summary>Wait before the first retry of an order a passing fault stopped; it doubles per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WhenDegraded == OrderPathMode.Normal)
        {
            yield return new ValidationResult($"Must be {OrderPathMode.Hold} or {OrderPathMode.ReduceOnly}; got {WhenDegraded}.", [nameof(WhenDegraded)]);
        }

        if (RetryBaseDelay > RetryMaxDelay)
        {
            yield return new ValidationResult($"RetryBaseDelay ({RetryBaseDelay}) must not exceed RetryMaxDelay ({RetryMaxDelay}).", [nameof(RetryBaseDelay)]);
        }
    }
}
