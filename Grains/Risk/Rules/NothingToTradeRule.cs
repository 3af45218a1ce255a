using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// A signal whose order comes to no whole lot says why: the order limit buys less than a lot, or the position is at
/// its target (which short selling or the position limit may have set).
/// </summary>
public sealed class NothingToTradeRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        if (!order.FromSignal || order.Quantity != 0)
        {
            return null;
        }

        if (order.ScaledToOrderLimit)
        {
            // Not at target: no order can ever get there.
            var limit = order.Limits.MaxOrderNotional;
            return new RiskDenial(RiskRejectionReason.BelowMinimumNotional, RiskCheck.Invariant(
                $"{order.Explanation}; the order limit {limit} / {order.Price} = {limit / order.Price:0.########} is less than one lot of {order.Inputs.Instrument.LotStep}"));
        }

        var reason = order.ShortBlocked ? RiskRejectionReason.ShortSellingDisabled
            : order.LimitedByPosition ? RiskRejectionReason.PositionLimitReached
            : RiskRejectionReason.AlreadyAtTarget;
        return new RiskDenial(reason, RiskCheck.Invariant($"{order.Explanation}; holding {order.Position}, nothing to trade"));
    }
}
