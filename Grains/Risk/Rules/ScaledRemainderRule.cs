using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The order scaled to the smallest share the portfolio limits allow, rounded down to the lot; if less than the
/// minimum order is left, it is refused with the binding limit as the reason.
/// </summary>
public sealed class ScaledRemainderRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var quantity = order.Share >= 1 ? order.Quantity : order.Inputs.Instrument.RoundDown(order.Quantity * (decimal)order.Share);
        if ((quantity <= 0 || quantity * order.Price < order.Limits.MinOrderNotional) && order.BindingLimit != RiskRejectionReason.None)
        {
            return new RiskDenial(order.BindingLimit, RiskCheck.Invariant(
                $"{string.Join("; ", order.PortfolioNotes)}; what is left ({quantity} × {order.Price}) is below the minimum order {order.Limits.MinOrderNotional}"));
        }

        order.FinalQuantity = quantity;
        return null;
    }
}
