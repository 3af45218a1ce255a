using System.Globalization;
using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// What <c>exchangeInfo</c> says a MARKET order on one symbol must satisfy: the lot step and quantity bounds
/// (LOT_SIZE and MARKET_LOT_SIZE together), and the minimum/maximum value where NOTIONAL or MIN_NOTIONAL applies
/// them to market orders. Applied before sending, so the venue never has to reject a filter failure.
/// </summary>
public sealed record BinanceSymbolRules(
    string Symbol,
    string Status,
    string BaseAsset,
    string QuoteAsset,
    decimal StepSize,
    decimal MinQuantity,
    decimal MaxQuantity,
    decimal MinNotional,
    decimal MaxNotional,
    decimal PriceTick = 0)
{
    /// <summary>These filters as the instrument rules every stage sizes and slices by.</summary>
    public InstrumentRules Instrument => new(Symbol, StepSize, MinQuantity, MinNotional, PriceTick);

    /// <summary>The symbol's entry in an exchangeInfo response; null when the response does not list it.</summary>
    public static BinanceSymbolRules? From(JsonElement exchangeInfo, string symbol)
    {
        foreach (var entry in exchangeInfo.GetProperty("symbols").EnumerateArray())
        {
            if (entry.GetProperty("symbol").GetString() == symbol)
            {
                return FromSymbolEntry(entry);
            }
        }

        return null;
    }

    private static BinanceSymbolRules FromSymbolEntry(JsonElement entry)
    {
        decimal step = 0, minQty = 0, maxQty = 0, minNotional = 0, maxNotional = 0, tick = 0;
        foreach (var filter in entry.GetProperty("filters").EnumerateArray())
        {
            switch (filter.GetProperty("filterType").GetString())
            {
                case "PRICE_FILTER":
                    tick = Number(filter, "tickSize");
                    break;
                case "LOT_SIZE" or "MARKET_LOT_SIZE":
                    // Binance often sends MARKET_LOT_SIZE with zeros ("no further limit"): a zero never loosens LOT_SIZE.
                    step = Math.Max(step, Number(filter, "stepSize"));
                    minQty = Math.Max(minQty, Number(filter, "minQty"));
                    maxQty = Tighter(maxQty, Number(filter, "maxQty"));
                    break;
                case "NOTIONAL":
                    if (filter.GetProperty("applyMinToMarket").GetBoolean())
                    {
                        minNotional = Math.Max(minNotional, Number(filter, "minNotional"));
                    }

                    if (filter.GetProperty("applyMaxToMarket").GetBoolean())
                    {
                        maxNotional = Tighter(maxNotional, Number(filter, "maxNotional"));
                    }

                    break;
                case "MIN_NOTIONAL":
                    if (filter.GetProperty("applyToMarket").GetBoolean())
                    {
                        minNotional = Math.Max(minNotional, Number(filter, "minNotional"));
                    }

                    break;
            }
        }

        return new BinanceSymbolRules(
            entry.GetProperty("symbol").GetString()!,
            entry.GetProperty("status").GetString()!,
            entry.GetProperty("baseAsset").GetString()!,
            entry.GetProperty("quoteAsset").GetString()!,
            step, minQty, maxQty, minNotional, maxNotional, tick);
    }

    /// <summary>
    /// The quantity to send: rounded down to the lot step. Null with the reason when the symbol is not trading or
    /// the order breaks a quantity or value bound at <paramref name="referencePrice"/>.
    /// </summary>
    public (decimal? Quantity, string? Problem) Prepare(decimal quantity, decimal referencePrice)
    {
        if (Status != "TRADING")
        {
            return (null, $"{Symbol} is {Status} on binance, not TRADING");
        }

        var rounded = Instrument.RoundDown(quantity);
        var notional = rounded * referencePrice;
        string? problem =
            rounded <= 0 || rounded < MinQuantity ? $"quantity {N(quantity)} rounds down to {N(rounded)} at step {N(StepSize)}, below the minimum {N(MinQuantity)} (LOT_SIZE)"
            : MaxQuantity > 0 && rounded > MaxQuantity ? $"quantity {N(rounded)} is above the maximum {N(MaxQuantity)} (LOT_SIZE)"
            : notional < MinNotional ? $"value {N(notional)} is below the minimum notional {N(MinNotional)}"
            : MaxNotional > 0 && notional > MaxNotional ? $"value {N(notional)} is above the maximum notional {N(MaxNotional)}"
            : null;
        return problem is null ? (rounded, null) : (null, $"not sent to binance: {problem}");
    }

    private static decimal Number(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var value) ? decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : 0m;

    private static decimal Tighter(decimal current, decimal limit) => limit <= 0 ? current : current <= 0 ? limit : Math.Min(current, limit);

    private static string N(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
