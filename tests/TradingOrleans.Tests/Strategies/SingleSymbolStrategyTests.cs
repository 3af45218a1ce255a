using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Grains.Strategies.Library;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Strategies;

public sealed class SingleSymbolStrategyTests
{
    private static SignalDirection?[] Run(IStrategy strategy, params decimal[] closes) =>
        [.. Bars.FromCloses("BTCUSDT", closes).Select(bar => strategy.OnCandle(bar)?.Direction)];

    [Fact]
    public void Sma_crossover_goes_long_above_and_short_below()
    {
        var strategy = new SmaCrossoverStrategy("sma", "BTCUSDT", 2, 3);

        // bar 3: fast (11+12)/2 = 11.5 > slow 11 → long; bar 4: fast 10.5 < slow 10.667 → short;
        // bar 5: fast 9 < slow 10 → short; bar 6: fast 12 > slow 11 → long.
        var directions = Run(strategy, 10, 11, 12, 9, 9, 15);

        Assert.Equal([null, null, SignalDirection.Long, SignalDirection.Short, SignalDirection.Short, SignalDirection.Long], directions);
    }

    [Fact]
    public void Sma_signal_carries_the_bar_close_time_price_and_reason()
    {
        var strategy = new SmaCrossoverStrategy("sma", "BTCUSDT", 2, 3);
        var bars = Bars.FromCloses("BTCUSDT", 10, 11, 12);

        var signal = bars.Select(strategy.OnCandle).ToList()[^1]!;

        Assert.Equal(("sma", "BTCUSDT", 12m, 1.0), (signal.StrategyId, signal.Symbol, signal.Price, signal.Strength));
        Assert.Equal(bars[2].CloseTime, signal.MarketTime);
        Assert.Equal("SMA(2) 11.5 above SMA(3) 11", signal.Reason);
    }

    [Fact]
    public void Rsi_reversion_enters_at_the_extremes_and_exits_at_the_exit_level()
    {
        var strategy = new RsiMeanReversionStrategy("rsi", "BTCUSDT", 2, oversold: 30, overbought: 70, exit: 50);

        // RSI(2), Wilder averages (gain, loss): 10→11→12: (1, 0) RSI 100 → short;
        // 11: (0.5, 0.5) RSI 50 → short exits at ≤ 50 → flat; 8: (0.25, 1.75) RSI 12.5 → long;
        // 9: (0.625, 0.875) RSI 41.7 → still long; 12: (1.8125, 0.4375) RSI 80.6 → exit and beyond overbought → short.
        var directions = Run(strategy, 10, 11, 12, 11, 8, 9, 12);

        Assert.Equal(
            [null, null, SignalDirection.Short, SignalDirection.Flat, SignalDirection.Long, SignalDirection.Long, SignalDirection.Short],
            directions);
    }
}
