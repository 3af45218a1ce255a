using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The order that would be sent meets the instrument's minimum quantity and value (<c>Trading:Instruments</c>, or the
/// exchange's filters): refused here with the numbers, rather than by the venue after it was approved.
/// </summary>
public sealed class InstrumentMinimumRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var instrument = order.Inputs.Instrument;
        var (quantity, value) = (order.FinalQuantity, order.FinalQuantity * order.Price);
        return quantity < instrument.MinQuantity
            ? Denied(order, $"{quantity} is below {order.Symbol}'s minimum quantity {instrument.MinQuantity}")
            : value < instrument.MinNotional
                ? Denied(order, $"{quantity} × {order.Price} = {value:0.##} is below {order.Symbol}'s minimum order value {instrument.MinNotional}")
                : null;
    }

    private static RiskDenial Denied(RiskCheck order, FormattableString why) =>
        new(RiskRejectionReason.BelowInstrumentMinimum, $"{order.Explanation}; {RiskCheck.Invariant(why)}");
}
