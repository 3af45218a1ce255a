using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Instrument rules for paper venues (section <c>Trading:Instruments</c>): defaults for every symbol, and per-symbol
/// overrides under <c>Symbols:{SYMBOL}</c>. With Binance enabled, its exchange filters take their place.
/// </summary>
public sealed class InstrumentOptions : IValidatableObject
{
    public const string SectionName = "Trading:Instruments";

    /// <summary>Lot size in the base asset: order quantities are rounded down to a multiple of it.</summary>
    [Range(typeof(decimal), "0.00000001", "1000000")]
    public decimal LotStep { get; set; } = 0.00001m;

    /// <summary>Smallest quantity of one order, in the base asset; 0 for none.</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MinQuantity { get; set; }

    /// <summary>Smallest order value a venue accepts, in the quote asset; 0 for none.</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal MinNotional { get; set; }

    /// <summary>Price increment, in the quote asset; 0 for none.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal PriceTick { get; set; }

    /// <summary>Per-symbol rules; a field left out takes the default above.</summary>
    public Dictionary<string, SymbolInstrumentOptions> Symbols { get; set; } = new(StringComparer.Ordinal);

    public InstrumentRules For(string symbol) => Symbols.TryGetValue(symbol, out var own)
        ? new InstrumentRules(symbol, own.LotStep ?? LotStep, own.MinQuantity ?? MinQuantity, own.MinNotional ?? MinNotional, own.PriceTick ?? PriceTick)
        : new InstrumentRules(symbol, LotStep, MinQuantity, MinNotional, PriceTick);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (symbol, own) in Symbols)
        {
            if (own.LotStep is <= 0)
            {
                yield return new ValidationResult($"Must be above 0; got {own.LotStep}.", [$"{nameof(Symbols)}:{symbol}:{nameof(LotStep)}"]);
            }

            foreach (var (name, value) in new[] { (nameof(MinQuantity), own.MinQuantity), (nameof(MinNotional), own.MinNotional), (nameof(PriceTick), own.PriceTick) })
            {
                if (value is < 0)
                {
                    yield return new ValidationResult($"Must not be negative; got {value}.", [$"{nameof(Symbols)}:{symbol}:{name}"]);
                }
            }
        }
    }
}

/// <summary>One symbol's rules in <c>Trading:Instruments:Symbols</c>; null fields take the section's defaults.</summary>
public sealed class SymbolInstrumentOptions
{
    public decimal? LotStep { get; set; }

    public decimal? MinQuantity { get; set; }

    public decimal? MinNotional { get; set; }

    public decimal? PriceTick { get; set; }
}

/// <summary>Instrument rules as configured (paper venues).</summary>
public sealed class ConfiguredInstruments(Microsoft.Extensions.Options.IOptions<InstrumentOptions> options) : IInstrumentCatalog
{
    public InstrumentRules For(string symbol) => options.Value.For(symbol);
}
