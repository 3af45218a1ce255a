using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Trend following: long while the fast SMA of closes is above the slow one, short while below.</summary>
public sealed class SmaCrossoverStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "sma-crossover", "Long while the fast SMA of closes is above the slow SMA, short while below.",
        [Whole("fast", 10, 1, 1000, "Bars in the fast average"), Whole("slow", 30, 2, 5000, "Bars in the slow average; must exceed fast")],
        (id, symbol, p) => new SmaCrossoverStrategy(id, symbol, p.Whole("fast"), p.Whole("slow")),
        ParameterRule.Below("fast", "slow"));

    private readonly SimpleMovingAverage _fast = new(fastPeriod);
    private readonly SimpleMovingAverage _slow = new(slowPeriod);

    public override bool IsReady => _fast.IsReady && _slow.IsReady;

    protected override void Update(Candle candle)
    {
        _fast.Update((double)candle.Close);
        _slow.Update((double)candle.Close);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var (fast, slow) = (_fast.Current, _slow.Current);
        var direction = Above(fast, slow);
        var relation = direction switch { SignalDirection.Long => "above", SignalDirection.Short => "below", _ => "equal to" };
        return (direction, 1, $"SMA({fastPeriod}) {fast:G6} {relation} SMA({slowPeriod}) {slow:G6}");
    }
}
