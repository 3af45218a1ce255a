namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>
/// What the market requires of an order on one instrument, whoever sends it: risk sizes in whole lots, execution
/// slices and routes in whole lots, and every stage reads these from one source (<c>Trading:Instruments</c> for paper
/// venues, the exchange's own filters for Binance).
/// </summary>
/// <param name="LotStep">Quantities are whole multiples of this (base asset).</param>
/// <param name="MinQuantity">Smallest quantity one order may have (base asset); 0 for none.</param>
/// <param name="MinNotional">Smallest order value the venue accepts (quote asset); 0 for none.</param>
/// <param name="PriceTick">Prices are whole multiples of this (quote asset); 0 for none.</param>
[GenerateSerializer, Immutable]
public sealed record InstrumentRules(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal LotStep,
    [property: Id(2)] decimal MinQuantity = 0,
    [property: Id(3)] decimal MinNotional = 0,
    [property: Id(4)] decimal PriceTick = 0)
{
    /// <summary>The largest whole number of lots not above <paramref name="quantity"/> (never negative).</summary>
    public decimal RoundDown(decimal quantity) =>
        quantity <= 0 ? 0 : LotStep > 0 ? Math.Floor(quantity / LotStep) * LotStep : quantity;

    /// <summary>
    /// A limit price on <paramref name="tick"/>, rounded away from the market (down for a buy, up for a sell), so the
    /// limit is never worse than asked; unchanged when the tick is 0.
    /// </summary>
    public static decimal RoundLimitToTick(OrderSide side, decimal price, decimal tick)
    {
        if (tick <= 0)
        {
            return price;
        }

        var ticks = price / tick;
        return (side == OrderSide.Buy ? Math.Floor(ticks) : Math.Ceiling(ticks)) * tick;
    }
}
