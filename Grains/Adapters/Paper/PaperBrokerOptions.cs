using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// The simulated venues (section <c>Trading:Broker:Paper</c>): one venue named <c>paper</c> with
/// <see cref="FeeBps"/> and <see cref="SlippageBps"/>, or the list in <see cref="Venues"/> for smart order routing.
/// </summary>
public sealed class PaperBrokerOptions : IValidatableObject
{
    public const string SectionName = "Trading:Broker:Paper";

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
}
