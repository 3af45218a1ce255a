using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>Σ|position value| after the order stays within <c>MaxGrossExposure</c>: the order is scaled to what fits.</summary>
public sealed class GrossExposureRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var limit = order.Limits.MaxGrossExposure;
        if (limit > 0)
        {
            var after = order.Portfolio;
            order.LimitShare(RiskRejectionReason.GrossExposureLimit, "gross exposure", limit, f => after.OthersGross + Math.Abs(after.TradedValue(f)));
        }

        return null;
    }
}
