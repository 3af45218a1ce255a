using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>A bar as the shadow books need it: when it opened, its open (the fill price) and its close (the mark).</summary>
public sealed record ShadowBar(DateTimeOffset OpenTime, decimal Open, decimal Close);

/// <summary>
/// Per-strategy attribution although votes are netted into one position per symbol: each strategy gets a shadow book
/// that holds its own share of every target the symbol's aggregator sent — its configured weight share of the
/// score, <c>weight / Σ weights × direction × strength</c>, sized like risk sizes the real target
/// (<c>share × PositionSizeFraction × start equity / price</c>) — traded at the same fill model (the next bar's open
/// ± slippage, the same fee rate, after the same latency) and marked at the last close. The books' sum is what the
/// votes alone would have made; the netting residual (the real PnL minus that sum) is what the quorum, performance
/// weighting, Kelly and risk limits, the volume cap and rounding added or took away.
/// </summary>
public static class ShadowBooks
{
    /// <param name="targets">Every target sent, in the order sent per symbol.</param>
    /// <param name="bars">Each symbol's bars in time order.</param>
    /// <param name="types">Each strategy's type, by id.</param>
    public static IReadOnlyList<StrategyAttribution> Attribute(
        IReadOnlyList<CombinedSignal> targets,
        IReadOnlyDictionary<string, IReadOnlyList<ShadowBar>> bars,
        IReadOnlyDictionary<string, string> types,
        decimal startEquity,
        decimal positionSizeFraction,
        BacktestFills fills)
    {
        var books = types.Keys.ToDictionary(id => id, _ => new Book(), StringComparer.Ordinal);
        foreach (var (symbol, symbolTargets) in targets.GroupBy(t => t.Symbol, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())))
        {
            if (!bars.TryGetValue(symbol, out var symbolBars) || symbolBars.Count == 0)
            {
                continue;
            }

            foreach (var target in symbolTargets)
            {
                var totalWeight = target.Contributions.Sum(c => c.ConfiguredWeight);
                // The bar whose open fills an order sent at this target's close, after the latency.
                var fillBar = FirstBarAtOrAfter(symbolBars, target.MarketTime) + fills.LatencyBars;
                foreach (var (id, book) in books)
                {
                    var vote = target.Contributions.FirstOrDefault(c => c.StrategyId == id);
                    var share = vote is null || totalWeight <= 0 ? 0 : vote.ConfiguredWeight / totalWeight * (int)vote.Direction * vote.Strength;
                    var quantity = (decimal)share * positionSizeFraction * startEquity / target.Price;
                    if (fillBar < symbolBars.Count)
                    {
                        book.TradeTo(symbol, quantity, symbolBars[fillBar].Open, fills);
                    }
                }
            }

            foreach (var book in books.Values)
            {
                book.Mark(symbol, symbolBars[^1].Close);
            }
        }

        return [.. books.Select(b => new StrategyAttribution(b.Key, types[b.Key], decimal.Round(b.Value.NetPnl, 8), decimal.Round(b.Value.Fees, 8), b.Value.Trades))];
    }

    private static int FirstBarAtOrAfter(IReadOnlyList<ShadowBar> bars, DateTimeOffset time)
    {
        int low = 0, high = bars.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (bars[middle].OpenTime < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private sealed class Book
    {
        private readonly Dictionary<string, decimal> _positions = new(StringComparer.Ordinal);
        private decimal _cash;
        private decimal _marked;

        public decimal Fees { get; private set; }

        public int Trades { get; private set; }

        /// <summary>Cash after fees plus the positions at the last closes, once <see cref="Mark"/> has run for every symbol.</summary>
        public decimal NetPnl => _cash + _marked;

        public void TradeTo(string symbol, decimal quantity, decimal open, BacktestFills fills)
        {
            var held = _positions.GetValueOrDefault(symbol);
            var change = quantity - held;
            if (change == 0)
            {
                return;
            }

            var side = change > 0 ? OrderSide.Buy : OrderSide.Sell;
            var slip = fills.SlippageBps / 10_000m;
            var price = open * (side == OrderSide.Buy ? 1 + slip : 1 - slip);
            var fee = Math.Abs(change) * price * fills.FeeBps / 10_000m;
            _cash -= change * price + fee;
            Fees += fee;
            Trades++;
            _positions[symbol] = quantity;
        }

        public void Mark(string symbol, decimal close) => _marked += _positions.GetValueOrDefault(symbol) * close;
    }
}
