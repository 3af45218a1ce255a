using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Trend following on Hull moving averages (low lag): long while HMA(fast) is above HMA(slow), short while below.</summary>
public sealed class HmaCrossoverStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "hma-crossover", "Long while the Hull MA(fast) is above the Hull MA(slow), short while below.",
        [Whole("fast", 9, 2, 1000, "Bars in the fast Hull MA"), Whole("slow", 36, 3, 5000, "Bars in the slow Hull MA; must exceed fast")],
        (id, symbol, p) => new HmaCrossoverStrategy(id, symbol, p.Whole("fast"), p.Whole("slow")),
        ParameterRule.Below("fast", "slow"));

    private readonly HullMovingAverage _fast = new(fastPeriod);
    private readonly HullMovingAverage _slow = new(slowPeriod);

    public override bool IsReady => _fast.IsReady && _slow.IsReady;

    protected override void Update(Candle candle)
    {
        _fast.Update((double)candle.Close);
        _slow.Update((double)candle.Close);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (Above(_fast.Current, _slow.Current), 1, $"HMA({fastPeriod}) {_fast.Current:G6} vs HMA({slowPeriod}) {_slow.Current:G6}");
}
