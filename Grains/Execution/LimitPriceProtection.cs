using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Wraps an algorithm: while the last price is more than <see cref="MaxAdverseBps"/> basis points worse than the
/// parent's arrival price (above it for a buy, below for a sell), no child is sent — the parent waits, working,
/// until the price comes back or it is cancelled.
/// </summary>
public sealed class LimitPriceProtection(IExecutionAlgorithm inner, decimal maxAdverseBps, bool buying) : IExecutionAlgorithm
{
    public decimal MaxAdverseBps { get; } = maxAdverseBps > 0 ? maxAdverseBps : throw new ArgumentOutOfRangeException(nameof(maxAdverseBps));

    public string Name => inner.Name;

    public Slice Next(ParentProgress context) => Paused(context) ?? inner.Next(context);

    /// <summary>The pause while the last price is beyond the band; null when a child may go.</summary>
    public Slice? Paused(ParentProgress context)
    {
        if (context.LastBar is { } bar && context.ArrivalPrice > 0)
        {
            var adverseBps = (bar.Close / context.ArrivalPrice - 1) * 10_000 * (buying ? 1 : -1);
            if (adverseBps > MaxAdverseBps)
            {
                return new Slice(0, $"paused: price {bar.Close} is {adverseBps:0.#} bps worse than arrival {context.ArrivalPrice} (limit {MaxAdverseBps} bps)",
                    ParentHold.PausedByLimitProtection);
            }
        }

        return null;
    }
}
