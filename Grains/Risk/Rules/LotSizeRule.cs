namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>Orders are whole lots of the instrument (<see cref="Interfaces.Execution.InstrumentRules.LotStep"/>), rounded down.</summary>
public sealed class LotSizeRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        order.Quantity = order.Inputs.Instrument.RoundDown(Math.Abs(order.Delta));
        return null;
    }
}
