using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The target position is clipped to <c>±MaxPositionNotional / price</c>, and the order is what takes the position
/// there: a signal's may even reverse (selling back to a lowered limit), an asked order only shrinks, to 0 at most.
/// </summary>
public sealed class PositionLimitRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var limit = order.Limits.MaxPositionNotional;
        if (Math.Abs(order.Target) * order.Price > limit)
        {
            order.Target = Math.Sign(order.Target) * limit / order.Price;
            order.LimitedByPosition = true;
            if (order.FromSignal)
            {
                order.Notes.Add(RiskCheck.Invariant($"scaled to position limit {limit}: {order.Target:0.#####}"));
            }
        }

        order.Delta = order.Asked switch
        {
            null => order.Target - order.Position,
            { } asked when !order.LimitedByPosition => Side(asked) * asked.Quantity,
            { } asked => Side(asked) * Math.Clamp(Side(asked) * (order.Target - order.Position), 0, asked.Quantity),
        };
        return null;
    }

    private static int Side(OrderIntent asked) => asked.Side == OrderSide.Buy ? 1 : -1;
}
