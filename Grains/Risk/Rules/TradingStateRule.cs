using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>Nothing passes while trading is halted (the kill switch, or the drawdown stop of <see cref="TradingStops"/>).</summary>
public sealed class TradingStateRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order) =>
        order.Inputs.State == TradingState.Halted
            // Both the kill switch and the drawdown stop halt; the grain's status carries which one and why.
            ? new RiskDenial(RiskRejectionReason.TradingHalted, "Trading is halted: no order is sent until trading is resumed.")
            : null;
}
