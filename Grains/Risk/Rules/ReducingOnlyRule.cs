using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>While trading is reducing-only (the daily loss stop of <see cref="TradingStops"/>), an order must shrink a position without flipping it.</summary>
public sealed class ReducingOnlyRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        if (order.Inputs.State != TradingState.Reducing || Reduces(order.Position, Math.Sign(order.Delta) * order.Quantity))
        {
            return null;
        }

        // A signal with nothing to trade is told so by NothingToTradeRule; an asked order of nothing shrinks nothing.
        if (order.FromSignal)
        {
            return order.Quantity == 0
                ? null
                : new RiskDenial(RiskRejectionReason.ReducingOnly, RiskCheck.Invariant(
                    $"{order.Explanation}; trading is reducing-only and {(order.Delta > 0 ? "buying" : "selling")} {order.Quantity} would not shrink the position of {order.Position}"));
        }

        return new RiskDenial(RiskRejectionReason.ReducingOnly, $"{order.Explanation}; trading is reducing-only");
    }

    /// <summary>Whether an order moves the position towards zero without crossing it.</summary>
    public static bool Reduces(decimal position, decimal signedOrder) =>
        position != 0 && Math.Sign(signedOrder) == -Math.Sign(position) && Math.Abs(signedOrder) <= Math.Abs(position);
}
