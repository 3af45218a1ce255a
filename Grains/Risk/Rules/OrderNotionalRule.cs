namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>An order worth more than <c>MaxOrderNotional</c> is scaled down to it (a signal's target is then reached over several bars).</summary>
public sealed class OrderNotionalRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var limit = order.Limits.MaxOrderNotional;
        if (Math.Abs(order.Delta) * order.Price > limit)
        {
            order.Delta = Math.Sign(order.Delta) * limit / order.Price;
            order.ScaledToOrderLimit = true;
            if (order.FromSignal)
            {
                order.Notes.Add(RiskCheck.Invariant($"order scaled to order limit {limit}"));
            }
        }

        return null;
    }
}
