using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Three SMAs in order: long when fast &gt; middle &gt; slow, short when fast &lt; middle &lt; slow, flat otherwise.</summary>
public sealed class TripleMovingAverageStrategy(string strategyId, string symbol, int fastPeriod, int middlePeriod, int slowPeriod)
    : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "triple-ma", "Long when SMA(fast) > SMA(middle) > SMA(slow), short when the order is reversed, flat when mixed.",
        [
            Whole("fast", 5, 1, 1000, "Bars in the fast SMA"),
            Whole("middle", 20, 2, 2000, "Bars in the middle SMA"),
            Whole("slow", 60, 3, 5000, "Bars in the slow SMA"),
        ],
        (id, symbol, p) => new TripleMovingAverageStrategy(id, symbol, p.Whole("fast"), p.Whole("middle"), p.Whole("slow")),
        ParameterRule.Below("fast", "middle"), ParameterRule.Below("middle", "slow"));

    private readonly SimpleMovingAverage _fast = new(fastPeriod);
    private readonly SimpleMovingAverage _middle = new(middlePeriod);
    private readonly SimpleMovingAverage _slow = new(slowPeriod);

    public override bool IsReady => _slow.IsReady;

    protected override void Update(Candle candle)
    {
        _fast.Update((double)candle.Close);
        _middle.Update((double)candle.Close);
        _slow.Update((double)candle.Close);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var (fast, middle, slow) = (_fast.Current, _middle.Current, _slow.Current);
        var direction = fast > middle && middle > slow ? SignalDirection.Long
            : fast < middle && middle < slow ? SignalDirection.Short
            : SignalDirection.Flat;
        return (direction, 1, $"SMA {fast:G6} / {middle:G6} / {slow:G6} ({fastPeriod}/{middlePeriod}/{slowPeriod})");
    }
}
