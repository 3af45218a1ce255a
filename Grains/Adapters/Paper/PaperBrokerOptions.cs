using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// The simulated venues (section <c>Trading:Broker:Paper</c>): one venue named <c>paper</c> with
/// <see cref="FeeBps"/> and <see cref="SlippageBps"/>, or the list in <see cref="Venues"/> for smart order routing.
/// </summary>
public sealed class PaperBrokerOptions : IValidatableObject
{
    public const string SectionName = "Trading:Broker:Paper";

    /// <summary>Route to the paper venues (the default); off to trade only on Binance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Commission per fill, in basis points of the fill's notional (10 = Binance's 0.1% taker fee).</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal FeeBps { get; set; } = 10m;

    /// <summary>How much worse than the reference price a market order fills, in basis points.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal SlippageBps { get; set; } = 2m;

    /// <summary>Several paper venues with their own costs and filters; empty means the single venue above.</summary>
    public List<PaperVenueOptions> Venues { get; set; } = [];

    /// <summary>When and at what price the paper venues fill (every venue alike).</summary>
    public PaperFillOptions Fills { get; set; } = new();

    /// <summary>The venues to run: <see cref="Venues"/>, or the single default one.</summary>
    public IReadOnlyList<PaperVenueOptions> EffectiveVenues =>
        Venues.Count > 0 ? Venues : [new PaperVenueOptions { Name = "paper", FeeBps = FeeBps, SlippageBps = SlippageBps }];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Venues.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Venues[i], new ValidationContext(Venues[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(m => $"{nameof(Venues)}:{i}:{m}")]);
            }
        }

        if (Venues.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != Venues.Count)
        {
            yield return new ValidationResult("Venue names must be unique.", [nameof(Venues)]);
        }

        var fillResults = new List<ValidationResult>();
        Validator.TryValidateObject(Fills, new ValidationContext(Fills), fillResults, validateAllProperties: true);
        foreach (var result in fillResults)
        {
            yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(m => $"{nameof(Fills)}:{m}")]);
        }

        if (Fills.Model == PaperFillModel.NextBarOpen && EffectiveVenues.Any(v => v.BookLevelQuantity > 0 || v.Latency > TimeSpan.Zero))
        {
            yield return new ValidationResult(
                "BookLevelQuantity and Latency belong to the Immediate fill model; with NextBarOpen set Fills:ParticipationCap and Fills:LatencyBars instead.",
                [$"{nameof(Fills)}:{nameof(PaperFillOptions.Model)}"]);
        }
    }
}

/// <summary>One simulated venue: its costs and filters.</summary>
public sealed class PaperVenueOptions
{
    [Required, RegularExpression("^[a-z0-9-]{1,32}$")]
    public string Name { get; set; } = "paper";

    [Range(typeof(decimal), "0", "1000")]
    public decimal FeeBps { get; set; } = 10m;

    [Range(typeof(decimal), "0", "1000")]
    public decimal SlippageBps { get; set; } = 2m;

    /// <summary>Largest quantity of one order (0 = no limit); a larger order is rejected, so the router splits.</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MaxOrderQuantity { get; set; }

    /// <summary>Smallest order value accepted (0 = none).</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MinNotional { get; set; }

    /// <summary>
    /// Quantity resting at each price level of the simulated book (0 = unlimited depth: every order fills in full at
    /// the slipped price). With depth, a market order walks <see cref="BookLevels"/> levels, each
    /// <see cref="LevelSpacingBps"/> worse than the last, and what is left expires unfilled — as a Binance market
    /// order that exhausts the book does (status EXPIRED with partial fills).
    /// </summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal BookLevelQuantity { get; set; }

    [Range(1, 1000)]
    public int BookLevels { get; set; } = 5;

    [Range(typeof(decimal), "0", "1000")]
    public decimal LevelSpacingBps { get; set; } = 1m;

    /// <summary>Simulated round trip to the venue, on the injected clock (0 = answer at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;
}

/// <summary>How a paper venue fills a market order.</summary>
public enum PaperFillModel
{
    /// <summary>At once, at the order's reference price (the signal bar's close) slipped by <c>SlippageBps</c>: live paper trading on a real-time feed.</summary>
    Immediate,

    /// <summary>
    /// The order rests until a later bar of its symbol opens and fills at that bar's open slipped by <c>SlippageBps</c>,
    /// at most <see cref="PaperFillOptions.ParticipationCap"/> of the bar's volume, the rest on the bars after: the
    /// honest model for replays and backtests, where the signal bar's close is already gone when the order is placed.
    /// </summary>
    NextBarOpen,
}

/// <summary>The fill model of the paper venues (section <c>Trading:Broker:Paper:Fills</c>).</summary>
public sealed class PaperFillOptions
{
    public PaperFillModel Model { get; set; } = PaperFillModel.Immediate;

    /// <summary>With <see cref="PaperFillModel.NextBarOpen"/>: the largest share of one bar's volume a symbol's orders fill in that bar.</summary>
    [Range(0.0001, 1.0)]
    public double ParticipationCap { get; set; } = 0.1;

    /// <summary>With <see cref="PaperFillModel.NextBarOpen"/>: bars an order waits before it can fill (0 = the next bar's open).</summary>
    [Range(0, 1000)]
    public int LatencyBars { get; set; }
}
