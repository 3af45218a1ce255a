using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>At most <c>MaxOpenOrders</c> approved orders may be not yet filled or rejected at once (working TWAP/VWAP parents count).</summary>
public sealed class OpenOrdersRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var (open, limit) = (order.Inputs.OpenOrders, order.Limits.MaxOpenOrders);
        return limit > 0 && open >= limit
            ? new RiskDenial(RiskRejectionReason.OpenOrderLimit, RiskCheck.Invariant($"{order.Explanation}; {open} orders are still open, the limit is {limit}"))
            : null;
    }
}
