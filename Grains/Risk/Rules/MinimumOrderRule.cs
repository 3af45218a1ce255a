using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>Orders worth less than <c>MinOrderNotional</c> are not sent (exchange minimum and churn control).</summary>
public sealed class MinimumOrderRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var minimum = order.Limits.MinOrderNotional;
        var value = order.Quantity * order.Price;
        if (value >= minimum)
        {
            return null;
        }

        if (order.Asked is { } asked)
        {
            // Cut below the minimum by a limit, or asked for below it.
            return new RiskDenial(order.Quantity < asked.Quantity ? RiskRejectionReason.PositionLimitReached : RiskRejectionReason.BelowMinimumNotional,
                RiskCheck.Invariant($"{order.Explanation}; {order.Quantity} × {order.Price} is below the minimum order {minimum}"));
        }

        return new RiskDenial(RiskRejectionReason.BelowMinimumNotional,
            RiskCheck.Invariant($"{order.Explanation}; order {order.Quantity} × {order.Price} = {value:0.##} is below the minimum {minimum}"));
    }
}
