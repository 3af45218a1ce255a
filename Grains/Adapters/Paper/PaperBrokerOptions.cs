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
