using System.Globalization;
using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// What <c>exchangeInfo</c> says an order on one symbol must satisfy, applied before sending so the venue never has to
/// reject a filter failure: the symbol's status (TRADING) for every order; LOT_SIZE for every order, with
/// MARKET_LOT_SIZE for market orders; PRICE_FILTER, PERCENT_PRICE and PERCENT_PRICE_BY_SIDE for limit orders; and the
/// order's value within NOTIONAL/MIN_NOTIONAL — always for a limit order (at its price), for a market order only where
/// the filter says it applies to market orders.
/// </summary>
/// <param name="Lot">LOT_SIZE: every order's quantity.</param>
/// <param name="MarketLot">LOT_SIZE and MARKET_LOT_SIZE together: a market order's quantity.</param>
/// <param name="Notional">NOTIONAL and MIN_NOTIONAL: a limit order's value.</param>
/// <param name="MarketNotional">The parts of NOTIONAL and MIN_NOTIONAL that apply to market orders.</param>
/// <param name="PriceFilter">PRICE_FILTER: a limit order's price bounds and tick.</param>
/// <param name="PercentPrice">PERCENT_PRICE (the older filter, one range for both sides); null when the symbol has none.</param>
/// <param name="PercentPriceBySide">PERCENT_PRICE_BY_SIDE; null when the symbol has none.</param>
public sealed record BinanceSymbolRules(
    string Symbol,
    string Status,
    string BaseAsset,
    string QuoteAsset,
    BinanceLot Lot,
    BinanceLot MarketLot,
    BinanceNotional Notional,
    BinanceNotional MarketNotional,
    BinancePriceFilter PriceFilter,
    BinancePercentPrice? PercentPrice = null,
    BinancePercentPrice? PercentPriceBySide = null)
{
    /// <summary>These filters as the instrument rules every stage sizes and slices by (market orders' lots, so any order fits).</summary>
    public InstrumentRules Instrument => new(Symbol, MarketLot.Step, MarketLot.Min, MarketNotional.Min, PriceFilter.Tick);

    /// <summary>Whether a limit order's price is checked against Binance's average price (PERCENT_PRICE or PERCENT_PRICE_BY_SIDE).</summary>
    public bool NeedsAveragePrice => PercentPrice is not null || PercentPriceBySide is not null;

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
        BinanceLot lot = default, marketLotSize = default;
        BinanceNotional notional = default, marketNotional = default;
        BinancePriceFilter priceFilter = default;
        BinancePercentPrice? percentPrice = null, percentPriceBySide = null;
        foreach (var filter in entry.GetProperty("filters").EnumerateArray())
        {
            switch (filter.GetProperty("filterType").GetString())
            {
                case "PRICE_FILTER":
                    priceFilter = new BinancePriceFilter(Number(filter, "minPrice"), Number(filter, "maxPrice"), Number(filter, "tickSize"));
                    break;
                case "PERCENT_PRICE":
                    var up = Number(filter, "multiplierUp");
                    var down = Number(filter, "multiplierDown");
                    percentPrice = new BinancePercentPrice(BySide: false, up, down, up, down);
                    break;
                case "PERCENT_PRICE_BY_SIDE":
                    percentPriceBySide = new BinancePercentPrice(BySide: true,
                        Number(filter, "bidMultiplierUp"), Number(filter, "bidMultiplierDown"), Number(filter, "askMultiplierUp"), Number(filter, "askMultiplierDown"));
                    break;
                case "LOT_SIZE":
                    lot = new BinanceLot(Number(filter, "stepSize"), Number(filter, "minQty"), Number(filter, "maxQty"));
                    break;
                case "MARKET_LOT_SIZE":
                    marketLotSize = new BinanceLot(Number(filter, "stepSize"), Number(filter, "minQty"), Number(filter, "maxQty"));
                    break;
                case "NOTIONAL":
                    // Its minimum and maximum always bind a limit order; a market order only where applyMin/MaxToMarket say so.
                    var min = Number(filter, "minNotional");
                    var max = Number(filter, "maxNotional");
                    notional = notional.Tightened(min, max);
                    marketNotional = marketNotional.Tightened(
                        filter.GetProperty("applyMinToMarket").GetBoolean() ? min : 0, filter.GetProperty("applyMaxToMarket").GetBoolean() ? max : 0);
                    break;
                case "MIN_NOTIONAL":
                    notional = notional.Tightened(Number(filter, "minNotional"), 0);
                    if (filter.GetProperty("applyToMarket").GetBoolean())
                    {
                        marketNotional = marketNotional.Tightened(Number(filter, "minNotional"), 0);
                    }

                    break;
            }
        }

        return new BinanceSymbolRules(
            entry.GetProperty("symbol").GetString()!,
            entry.GetProperty("status").GetString()!,
            entry.GetProperty("baseAsset").GetString()!,
            entry.GetProperty("quoteAsset").GetString()!,
            lot, lot.Tightened(marketLotSize), notional, marketNotional, priceFilter, percentPrice, percentPriceBySide);
    }

    /// <summary>
    /// A market order's quantity to send: rounded down to the lot step. Null with the reason when the symbol is not
    /// trading or the order breaks a quantity bound (LOT_SIZE, MARKET_LOT_SIZE) or, valued at
    /// <paramref name="referencePrice"/>, a value bound that applies to market orders.
    /// </summary>
    public (decimal? Quantity, string? Problem) Prepare(decimal quantity, decimal referencePrice)
    {
        var (rounded, problem) = Quantity(quantity, MarketLot, "LOT_SIZE/MARKET_LOT_SIZE");
        problem ??= NotionalProblem(rounded * referencePrice, MarketNotional, "");
        return problem is null ? (rounded, null) : (null, $"not sent to binance: {problem}");
    }

    /// <summary>
    /// A limit order's quantity and price to send: the quantity rounded down to LOT_SIZE's step, the price to
    /// PRICE_FILTER's tick away from the market (down for a buy, up for a sell, as execution rounds it). Null with the
    /// reason when the symbol is not trading or the order breaks PRICE_FILTER, PERCENT_PRICE(_BY_SIDE) around
    /// <paramref name="averagePrice"/> (needed when <see cref="NeedsAveragePrice"/>), LOT_SIZE, or NOTIONAL/MIN_NOTIONAL
    /// at its price.
    /// </summary>
    public (decimal? Quantity, decimal Price, string? Problem) PrepareLimit(OrderSide side, decimal quantity, decimal limitPrice, BinanceAveragePrice? averagePrice)
    {
        var price = InstrumentRules.RoundLimitToTick(side, limitPrice, PriceFilter.Tick);
        var (rounded, problem) = Quantity(quantity, Lot, "LOT_SIZE");
        problem ??= PriceProblem(limitPrice, price)
            ?? PercentPriceProblem(side, price, PercentPrice, averagePrice)
            ?? PercentPriceProblem(side, price, PercentPriceBySide, averagePrice)
            ?? NotionalProblem(rounded * price, Notional, " at the limit price");
        return problem is null ? (rounded, price, null) : (null, price, $"not sent to binance: {problem}");
    }

    private (decimal Rounded, string? Problem) Quantity(decimal quantity, BinanceLot lot, string filter)
    {
        if (Status != "TRADING")
        {
            return (0, $"{Symbol} is {Status} on binance, not TRADING");
        }

        var rounded = new InstrumentRules(Symbol, lot.Step).RoundDown(quantity);
        var problem = rounded <= 0 || rounded < lot.Min ? $"quantity {N(quantity)} rounds down to {N(rounded)} at step {N(lot.Step)}, below the minimum {N(lot.Min)} ({filter})"
            : lot.Max > 0 && rounded > lot.Max ? $"quantity {N(rounded)} is above the maximum {N(lot.Max)} ({filter})"
            : null;
        return (rounded, problem);
    }

    private string? PriceProblem(decimal limitPrice, decimal price) =>
        price <= 0 ? $"limit price {N(limitPrice)} rounds to {N(price)} at tick {N(PriceFilter.Tick)} (PRICE_FILTER)"
        : PriceFilter.Min > 0 && price < PriceFilter.Min ? $"limit price {N(price)} is below the minimum price {N(PriceFilter.Min)} (PRICE_FILTER)"
        : PriceFilter.Max > 0 && price > PriceFilter.Max ? $"limit price {N(price)} is above the maximum price {N(PriceFilter.Max)} (PRICE_FILTER)"
        : null;

    private static string? PercentPriceProblem(OrderSide side, decimal price, BinancePercentPrice? filter, BinanceAveragePrice? average)
    {
        if (filter is null)
        {
            return null;
        }

        if (average is null)
        {
            return $"no average price to check the limit price against ({filter.Name})";
        }

        var (up, upName, down, downName) = filter.For(side);
        var highest = average.Price * up;
        var lowest = average.Price * down;
        return price > highest ? $"limit price {N(price)} is above {N(highest)}, the {average.Source} {N(average.Price)} × {upName} {N(up)} ({filter.Name})"
            : price < lowest ? $"limit price {N(price)} is below {N(lowest)}, the {average.Source} {N(average.Price)} × {downName} {N(down)} ({filter.Name})"
            : null;
    }

    private static string? NotionalProblem(decimal value, BinanceNotional bounds, string at) =>
        value < bounds.Min ? $"value {N(value)}{at} is below the minimum notional {N(bounds.Min)}"
        : bounds.Max > 0 && value > bounds.Max ? $"value {N(value)}{at} is above the maximum notional {N(bounds.Max)}"
        : null;

    private static decimal Number(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var value) ? decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : 0m;

    internal static decimal Tighter(decimal current, decimal limit) => limit <= 0 ? current : current <= 0 ? limit : Math.Min(current, limit);

    private static string N(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}

/// <summary>Quantity bounds (LOT_SIZE, MARKET_LOT_SIZE): a whole number of steps, from the minimum to the maximum (0: no maximum).</summary>
public readonly record struct BinanceLot(decimal Step, decimal Min, decimal Max)
{
    /// <summary>Both bounds at once. Binance often sends MARKET_LOT_SIZE with zeros ("no further limit"): a zero never loosens.</summary>
    public BinanceLot Tightened(BinanceLot other) =>
        new(Math.Max(Step, other.Step), Math.Max(Min, other.Min), BinanceSymbolRules.Tighter(Max, other.Max));
}

/// <summary>Order value bounds in the quote asset (price × quantity); 0 for none.</summary>
public readonly record struct BinanceNotional(decimal Min, decimal Max)
{
    public BinanceNotional Tightened(decimal min, decimal max) => new(Math.Max(Min, min), BinanceSymbolRules.Tighter(Max, max));
}

/// <summary>PRICE_FILTER: a price's bounds and tick, each check off when 0.</summary>
public readonly record struct BinancePriceFilter(decimal Min, decimal Max, decimal Tick);

/// <summary>
/// PERCENT_PRICE_BY_SIDE, or PERCENT_PRICE with the same multipliers for both sides: a buy's price must lie within
/// [average × <see cref="BidDown"/>, average × <see cref="BidUp"/>], a sell's within [average × <see cref="AskDown"/>,
/// average × <see cref="AskUp"/>].
/// </summary>
/// <param name="BySide">PERCENT_PRICE_BY_SIDE; false for PERCENT_PRICE.</param>
public sealed record BinancePercentPrice(bool BySide, decimal BidUp, decimal BidDown, decimal AskUp, decimal AskDown)
{
    /// <summary>The filter's type, as Binance names it in its rejections.</summary>
    public string Name => BySide ? "PERCENT_PRICE_BY_SIDE" : "PERCENT_PRICE";

    /// <summary>The multipliers for an order on <paramref name="side"/>, with the names exchangeInfo gives them.</summary>
    public (decimal Up, string UpName, decimal Down, string DownName) For(OrderSide side) =>
        !BySide ? (BidUp, "multiplierUp", BidDown, "multiplierDown")
        : side == OrderSide.Buy ? (BidUp, "bidMultiplierUp", BidDown, "bidMultiplierDown")
        : (AskUp, "askMultiplierUp", AskDown, "askMultiplierDown");
}

/// <summary>The price Binance's PERCENT_PRICE filters compare an order with, and where it came from (for the reason).</summary>
public sealed record BinanceAveragePrice(decimal Price, string Source);
