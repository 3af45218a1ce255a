using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>|Σ position value| (longs minus shorts) after the order stays within <c>MaxNetExposure</c>: the order is scaled to what fits.</summary>
public sealed class NetExposureRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var limit = order.Limits.MaxNetExposure;
        if (limit > 0)
        {
            var after = order.Portfolio;
            order.LimitShare(RiskRejectionReason.NetExposureLimit, "net exposure", limit, f => Math.Abs(after.OthersNet + after.TradedValue(f)));
        }

        return null;
    }
}
