using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Interfaces.MarketData;

/// <summary>One instrument (key: symbol): rolling candles, its single-symbol strategies, forwarding to pairs.</summary>
public interface ISymbolGrain : IGrainWithStringKey
{
    /// <summary>
    /// A closed bar from the feed. Completes once the bar's strategies have run; the order path (vote, risk,
    /// execution, pairs) follows on its own, at most one bar of it in flight per symbol, in bar order.
    /// </summary>
    Task OnCandle(Candle candle);

    /// <summary>A trade from the feed; aggregated into bars of the configured interval.</summary>
    Task OnTick(MarketTick tick);

    /// <summary>Completes once the order path of the last bar taken has finished (a replay's end waits for it).</summary>
    Task OrderPathSettled();

    /// <summary>Replaces the strategies that run on this symbol and the pairs it feeds.</summary>
    Task Configure(IReadOnlyList<StrategyConfig> strategies, IReadOnlyList<string> pairKeys);

    // The reads interleave, each in one synchronous step: a bar's turn may await the previous bar's order path, and a
    // read must not wait for an order.

    /// <summary>The most recent closed bars, oldest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<Candle>> GetRecentCandles(int count);

    /// <summary>Each strategy's failures on this symbol, and whether it is quarantined.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<StrategyHealth>> GetStrategyHealth();

    /// <summary>Lifts a strategy's quarantine: a fresh instance, warmed on the bars kept, runs again. False when it was not quarantined here.</summary>
    Task<bool> Reinstate(string strategyId);

    /// <summary>The latest best bid and offer, if the feed sends quotes.</summary>
    [AlwaysInterleave]
    Task<Quote?> GetQuote();

    /// <summary>
    /// Whether closed bars also go to the symbol's execution grain: on while it has working parents to slice, off
    /// otherwise, so the order-free path carries no extra message per bar.
    /// </summary>
    [OneWay]
    Task ForwardBarsToExecution(bool forward);
}
