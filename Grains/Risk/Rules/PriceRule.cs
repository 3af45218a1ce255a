using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>An order needs a positive price: every size and limit in value is divided by it.</summary>
public sealed class PriceRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order) =>
        order.Price <= 0
            ? new RiskDenial(RiskRejectionReason.NoPriceAvailable, RiskCheck.Invariant($"No usable price for {order.Symbol} (got {order.Price})."))
            : null;
}
