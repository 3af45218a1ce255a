using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>Compares the portfolio with its target weights: drift per symbol and the trade that closes it.</summary>
public static class AllocationPlan
{
    /// <param name="holdings">Signed quantity and latest mark per symbol (unmarked symbols have price 0).</param>
    public static PortfolioAllocation Measure(
        IReadOnlyDictionary<string, decimal> targetWeights, IReadOnlyDictionary<string, (decimal Quantity, decimal Price)> holdings,
        decimal equity, decimal band, DateTimeOffset? marketTime)
    {
        var rows = targetWeights
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(target =>
            {
                var (quantity, price) = holdings.GetValueOrDefault(target.Key);
                var current = equity > 0 ? quantity * price / equity : 0m;
                var drift = current - target.Value;

                // No mark, no trade: the quantity needs a price.
                var rebalance = price > 0 ? (target.Value * equity - quantity * price) / price : 0m;
                return new AllocationRow(target.Key, target.Value, decimal.Round(current, 6), decimal.Round(drift, 6),
                    price > 0 && Math.Abs(drift) > band, decimal.Round(rebalance, 8), price);
            })
            .ToArray();
        return new PortfolioAllocation(equity, band, rows, marketTime);
    }
}
