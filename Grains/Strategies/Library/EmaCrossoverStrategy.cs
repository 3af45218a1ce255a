using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Trend following on exponential averages: long while EMA(fast) is above EMA(slow), short while below.</summary>
public sealed class EmaCrossoverStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "ema-crossover", "Long while EMA(fast) of closes is above EMA(slow), short while below.",
        [Whole("fast", 12, 1, 1000, "Bars in the fast EMA"), Whole("slow", 26, 2, 5000, "Bars in the slow EMA; must exceed fast")],
        (id, symbol, p) => new EmaCrossoverStrategy(id, symbol, p.Whole("fast"), p.Whole("slow")),
        ParameterRule.Below("fast", "slow"));

    private readonly ExponentialMovingAverage _fast = new(fastPeriod);
    private readonly ExponentialMovingAverage _slow = new(slowPeriod);

    public override bool IsReady => _fast.IsReady && _slow.IsReady;

    protected override void Update(Candle candle)
    {
        _fast.Update((double)candle.Close);
        _slow.Update((double)candle.Close);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (Above(_fast.Current, _slow.Current), 1, $"EMA({fastPeriod}) {_fast.Current:G6} vs EMA({slowPeriod}) {_slow.Current:G6}");
}
