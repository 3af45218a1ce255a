using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>How the shadow books size and trade: as risk sizes a target, at the paper venue's costs.</summary>
/// <param name="SizingEquity">The equity a full-strength target is a fraction of: the account's initial cash.</param>
/// <param name="LatencyBars">Bars an order waits before it fills (the paper venue's <c>Fills:LatencyBars</c>).</param>
/// <param name="PnlHorizon">How far back each book's PnL per symbol is kept, for <see cref="ShadowLedger.PnlOn"/>; zero keeps none.</param>
public sealed record ShadowTerms(decimal SizingEquity, decimal FeeBps, decimal SlippageBps, int LatencyBars, TimeSpan PnlHorizon = default);

/// <summary>
/// Per-strategy attribution although votes are netted into one position per symbol: each strategy has a shadow book
/// that holds its own share of every target its symbol's aggregator sent — its configured weight over the voters'
/// total × direction × strength, sized as risk sizes the real target (share × <c>PositionSizeFraction</c> × the
/// initial cash / the target's price) — traded at the open of the bar after the target (after the latency) ± slippage,
/// with the fee, and marked at each bar's close. The books add up to what the votes alone would have made; the
/// netting residual (the account's PnL minus their sum) is what the quorum, performance weighting, Kelly, the risk
/// limits, the volume cap and rounding added or took away. Live and in backtests alike, in the portfolio grain.
/// </summary>
/// <param name="onTrade">Told every trade a book makes (a sweep's screen records them as fills).</param>
public sealed class ShadowLedger(ShadowLedgerState state, ShadowTerms terms, Action<ShadowTrade>? onTrade = null)
{
    private const int SamplesPerHorizon = 48;

    /// <summary>
    /// A target the symbol's aggregator sent, sized with risk's <paramref name="positionSizeFraction"/>: each strategy's
    /// quantity waits for the bar that fills it. A target sent again (a retry after a fault) changes nothing. Without a
    /// fraction (risk's decision never came) it is sized with the last one, and skipped while there is none.
    /// </summary>
    public bool Target(CombinedSignal target, decimal? positionSizeFraction)
    {
        if (state.LastSequence.TryGetValue(target.Symbol, out var last) && target.Sequence <= last || target.Price <= 0
            || positionSizeFraction is null && state.PositionSizeFraction == 0)
        {
            return false;
        }

        state.LastSequence[target.Symbol] = target.Sequence;
        state.PositionSizeFraction = positionSizeFraction ?? state.PositionSizeFraction;
        var totalWeight = target.Contributions.Sum(c => c.ConfiguredWeight);
        var quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
        // Every strategy with a book goes to its share, 0 when it does not vote: a withdrawn vote is a flat target.
        foreach (var id in state.Books.Keys.Union(target.Contributions.Select(c => c.StrategyId), StringComparer.Ordinal))
        {
            var vote = target.Contributions.FirstOrDefault(c => c.StrategyId == id);
            var share = vote is null || totalWeight <= 0 ? 0 : vote.ConfiguredWeight / totalWeight * (int)vote.Direction * vote.Strength;
            quantities[id] = (decimal)share * state.PositionSizeFraction * terms.SizingEquity / target.Price;
        }

        Pending(target.Symbol).Add(new PendingShadowTarget { MarketTime = target.MarketTime, BarsToWait = terms.LatencyBars, Quantities = quantities });
        return true;
    }

    /// <summary>A bar of the symbol: fills the pending targets it is due for at its open, then marks the books at its close; true when a book traded.</summary>
    public bool Bar(string symbol, DateTimeOffset openTime, decimal open, decimal close)
    {
        if (state.LastBarOpen.TryGetValue(symbol, out var seen) && openTime <= seen)
        {
            return false;
        }

        state.LastBarOpen[symbol] = openTime;
        state.LastClose[symbol] = close;
        var traded = false;
        var pending = Pending(symbol);
        while (pending.Count > 0 && openTime >= pending[0].MarketTime)
        {
            if (pending[0].BarsToWait > 0)
            {
                // Every pending target waits its own bars; each bar counts once for all of them.
                pending.Where(p => openTime >= p.MarketTime).ToList().ForEach(p => p.BarsToWait--);
                break;
            }

            foreach (var (id, quantity) in pending[0].Quantities)
            {
                traded |= TradeTo(id, symbol, quantity, open, openTime);
            }

            pending.RemoveAt(0);
        }

        SamplePnl(symbol, openTime);
        return traded;
    }

    /// <summary>
    /// Each book that has traded <paramref name="symbol"/>: its net PnL after fees on that symbol at the last close, and
    /// the change of it over the horizon that ends at the symbol's last bar (since the book's first trade when younger).
    /// </summary>
    public IReadOnlyList<StrategyPnl> PnlOn(string symbol)
    {
        if (!state.LastBarOpen.TryGetValue(symbol, out var now))
        {
            return [];
        }

        var since = now - terms.PnlHorizon;
        var capital = state.PositionSizeFraction * terms.SizingEquity;
        return
        [
            .. state.Books.Where(b => b.Value.SymbolCash.ContainsKey(symbol)).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b =>
            {
                var net = NetPnl(b.Value, symbol);
                var history = b.Value.PnlHistory.GetValueOrDefault(symbol) ?? [];
                var baseline = history.LastOrDefault(sample => sample.At <= since)?.Pnl ?? 0m;
                return new StrategyPnl(b.Key, symbol, decimal.Round(net, 8), decimal.Round(net - baseline, 8), terms.PnlHorizon, capital, now);
            }),
        ];
    }

    /// <summary>Every book: its net PnL after fees at the last closes, its fees and its trades.</summary>
    public IReadOnlyList<ShadowBook> Books() =>
        [.. state.Books.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new ShadowBook(
            b.Key,
            decimal.Round(b.Value.Cash + b.Value.Positions.Sum(p => p.Value * state.LastClose.GetValueOrDefault(p.Key)), 8),
            decimal.Round(b.Value.Fees, 8),
            b.Value.Trades))];

    private bool TradeTo(string id, string symbol, decimal quantity, decimal open, DateTimeOffset at)
    {
        var book = Book(id);
        var change = quantity - book.Positions.GetValueOrDefault(symbol);
        if (change == 0)
        {
            return false;
        }

        var slip = terms.SlippageBps / 10_000m;
        var price = open * (change > 0 ? 1 + slip : 1 - slip);
        var fee = Math.Abs(change) * price * terms.FeeBps / 10_000m;
        // A holding from before the books kept cash per symbol enters the symbol's PnL at the last close.
        var symbolCash = book.SymbolCash.TryGetValue(symbol, out var paid) ? paid : -(quantity - change) * state.LastClose.GetValueOrDefault(symbol);
        book.Cash -= change * price + fee;
        book.SymbolCash[symbol] = symbolCash - change * price - fee;
        book.Fees += fee;
        book.Trades++;
        book.Positions[symbol] = quantity;
        onTrade?.Invoke(new ShadowTrade(id, symbol, at, change, price, fee));
        return true;
    }

    private decimal NetPnl(ShadowBookState book, string symbol) =>
        book.SymbolCash[symbol] + book.Positions.GetValueOrDefault(symbol) * state.LastClose.GetValueOrDefault(symbol);

    /// <summary>
    /// Records every book's PnL on the symbol at this bar, one sample per 48th of the horizon (the bucket's last bar), and
    /// drops the samples older than the newest one at or before the horizon's start, which is the baseline.
    /// </summary>
    private void SamplePnl(string symbol, DateTimeOffset at)
    {
        if (terms.PnlHorizon <= TimeSpan.Zero)
        {
            return;
        }

        var bucket = terms.PnlHorizon / SamplesPerHorizon;
        var since = at - terms.PnlHorizon;
        foreach (var book in state.Books.Values)
        {
            if (!book.SymbolCash.ContainsKey(symbol))
            {
                continue;
            }

            if (!book.PnlHistory.TryGetValue(symbol, out var history))
            {
                book.PnlHistory[symbol] = history = [];
            }

            var sample = new PnlSample { At = at, Pnl = NetPnl(book, symbol) };
            if (history.Count > 0 && history[^1].At.UtcTicks / bucket.Ticks == at.UtcTicks / bucket.Ticks)
            {
                history[^1] = sample;
            }
            else
            {
                history.Add(sample);
            }

            while (history.Count > 1 && history[1].At <= since)
            {
                history.RemoveAt(0);
            }
        }
    }

    private ShadowBookState Book(string id) => state.Books.TryGetValue(id, out var book) ? book : state.Books[id] = new ShadowBookState();

    private List<PendingShadowTarget> Pending(string symbol) => state.Pending.TryGetValue(symbol, out var list) ? list : state.Pending[symbol] = [];
}

/// <summary>One trade of a shadow book: its strategy, the quantity bought (negative: sold), at what price and fee.</summary>
public sealed record ShadowTrade(string StrategyId, string Symbol, DateTimeOffset Time, decimal Change, decimal Price, decimal Fee);

/// <summary>The shadow books as the portfolio keeps them (persisted with the account).</summary>
[GenerateSerializer]
public sealed class ShadowLedgerState
{
    [Id(0)] public Dictionary<string, ShadowBookState> Books { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Targets waiting for their fill bar, per symbol, in the order sent.</summary>
    [Id(1)] public Dictionary<string, List<PendingShadowTarget>> Pending { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, long> LastSequence { get; set; } = new(StringComparer.Ordinal);

    [Id(3)] public Dictionary<string, DateTimeOffset> LastBarOpen { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public Dictionary<string, decimal> LastClose { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Risk's position size fraction with the last target: a full-strength position is this share of the sizing equity.</summary>
    [Id(5)] public decimal PositionSizeFraction { get; set; }
}

[GenerateSerializer]
public sealed class ShadowBookState
{
    [Id(0)] public decimal Cash { get; set; }

    [Id(1)] public decimal Fees { get; set; }

    [Id(2)] public int Trades { get; set; }

    [Id(3)] public Dictionary<string, decimal> Positions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The cash the book's trades of each symbol paid and received, fees included: with the position, its PnL on the symbol.</summary>
    [Id(4)] public Dictionary<string, decimal> SymbolCash { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per symbol, the book's PnL on it sampled over the last horizon (oldest first).</summary>
    [Id(5)] public Dictionary<string, List<PnlSample>> PnlHistory { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A book's PnL on one symbol at a bar.</summary>
[GenerateSerializer]
public sealed class PnlSample
{
    [Id(0)] public DateTimeOffset At { get; set; }

    [Id(1)] public decimal Pnl { get; set; }
}

[GenerateSerializer]
public sealed class PendingShadowTarget
{
    /// <summary>The close of the bar the target was computed on: the first bar opening at or after it can fill it.</summary>
    [Id(0)] public DateTimeOffset MarketTime { get; set; }

    [Id(1)] public int BarsToWait { get; set; }

    [Id(2)] public Dictionary<string, decimal> Quantities { get; set; } = new(StringComparer.Ordinal);
}
