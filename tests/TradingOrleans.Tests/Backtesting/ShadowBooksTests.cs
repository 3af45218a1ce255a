using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Tests.Backtesting;

public sealed class ShadowBooksTests
{
    private static readonly DateTimeOffset T = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static CombinedSignal Target(DateTimeOffset close, params SignalContribution[] votes) =>
        new("BTCUSDT", 1, SignalDirection.Flat, 0, votes, 100m, close, close);

    [Fact]
    public void Each_strategy_holds_its_weight_share_of_the_targets_filled_at_the_next_open_and_marked_at_the_last_close()
    {
        // Bars open at T, T+5, T+10 at 100, 110, 120; the last closes at 130.
        var bars = new Dictionary<string, IReadOnlyList<ShadowBar>>
        {
            ["BTCUSDT"] = [new(T, 100m, 100m), new(T.AddMinutes(5), 110m, 115m), new(T.AddMinutes(10), 120m, 130m)],
        };
        var targets = new[]
        {
            // a long 1, b flat, equal weights: a's share 1/2 → 0.5 × 20 % × 1,000 / 100 = 1 unit, bought at the next open, 110.
            Target(T.AddMinutes(5), new("a", SignalDirection.Long, 1, Weight: 0.7, ConfiguredWeight: 1), new("b", SignalDirection.Flat, 0, 1.3, ConfiguredWeight: 1)),
            // a flat, b short 1: a sells its unit at 120, b goes short 1 at 120.
            Target(T.AddMinutes(10), new("a", SignalDirection.Flat, 0, 1, ConfiguredWeight: 1), new("b", SignalDirection.Short, 1, 1, ConfiguredWeight: 1)),
        };

        var books = ShadowBooks.Attribute(targets, bars, new Dictionary<string, string> { ["a"] = "sma-crossover", ["b"] = "rsi-mean-reversion", ["c"] = "macd" },
            startEquity: 1_000m, positionSizeFraction: 0.2m, new BacktestFills(FeeBps: 10m, SlippageBps: 0m));

        Assert.Equal(
            [
                // a: −110 − 0.11 fee + 120 − 0.12 fee = 9.77.
                new StrategyAttribution("a", "sma-crossover", 9.77m, 0.23m, 2),
                // b: +120 − 0.12 fee, then short 1 marked at 130: 119.88 − 130 = −10.12.
                new StrategyAttribution("b", "rsi-mean-reversion", -10.12m, 0.12m, 1),
                new StrategyAttribution("c", "macd", 0m, 0m, 0),
            ],
            books);
    }

    [Fact]
    public void A_target_sent_on_the_last_bar_has_no_bar_to_fill_on_and_latency_moves_the_fill_later()
    {
        var bars = new Dictionary<string, IReadOnlyList<ShadowBar>>
        {
            ["BTCUSDT"] = [new(T, 100m, 100m), new(T.AddMinutes(5), 110m, 110m), new(T.AddMinutes(10), 120m, 120m)],
        };
        var longOne = new SignalContribution("a", SignalDirection.Long, 1, 1);
        var types = new Dictionary<string, string> { ["a"] = "sma-crossover" };

        var lastBar = ShadowBooks.Attribute([Target(T.AddMinutes(15), longOne)], bars, types, 500m, 0.2m, new BacktestFills(0m, 0m));
        // One bar of latency: sent at T+5, filled at T+10's open 120 instead of 110; marked at 120.
        var delayed = ShadowBooks.Attribute([Target(T.AddMinutes(5), longOne)], bars, types, 500m, 0.2m, new BacktestFills(0m, 0m, LatencyBars: 1));

        Assert.Equal((0m, 0), (lastBar[0].NetPnl, lastBar[0].Trades));
        Assert.Equal((0m, 1), (delayed[0].NetPnl, delayed[0].Trades));
    }
}
