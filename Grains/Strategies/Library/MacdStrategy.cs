using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// MACD: long while the MACD line is above its signal line, short while below; strength grows with the histogram
/// relative to the close (a histogram of <c>fullStrengthBps</c> basis points of price is full strength).
/// </summary>
public sealed class MacdStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod, int signalPeriod, double fullStrengthBps)
    : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "macd", "Long while the MACD line is above its signal line, short while below; strength from the histogram.",
        [
            Whole("fast", 12, 1, 500, "Bars in the fast EMA"),
            Whole("slow", 26, 2, 1000, "Bars in the slow EMA; must exceed fast"),
            Whole("signal", 9, 1, 500, "Bars in the signal EMA of the MACD line"),
            Number("fullStrengthBps", 10, 0.1, 10_000, "Histogram, in basis points of the close, that gives full strength"),
        ],
        (id, symbol, p) => new MacdStrategy(id, symbol, p.Whole("fast"), p.Whole("slow"), p.Whole("signal"), p["fullStrengthBps"]),
        ParameterRule.Below("fast", "slow"));

    private readonly Macd _macd = new(fastPeriod, slowPeriod, signalPeriod);

    public override bool IsReady => _macd.IsReady;

    protected override void Update(Candle candle) => _macd.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var histogramBps = _macd.Histogram / (double)candle.Close * 10_000;
        return (Above(_macd.Line, _macd.Signal), Math.Abs(histogramBps) / fullStrengthBps,
            $"MACD({fastPeriod},{slowPeriod},{signalPeriod}) {_macd.Line:G6} vs signal {_macd.Signal:G6}, histogram {histogramBps:F2} bps");
    }
}
