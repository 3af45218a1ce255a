using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>At most <c>MaxOrdersPerMinute</c> approvals in any 60 seconds of wall time (protects the venue, catches runaway loops).</summary>
public sealed class OrderRateRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var (recent, limit) = (order.Inputs.ApprovalsLastMinute, order.Limits.MaxOrdersPerMinute);
        return limit > 0 && recent >= limit
            ? new RiskDenial(RiskRejectionReason.OrderRateLimit, RiskCheck.Invariant($"{order.Explanation}; {recent} orders in the last minute reach the limit of {limit}"))
            : null;
    }
}
