using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Kaufman adaptive MA trend: long while the close is above KAMA, short while below.</summary>
public sealed class KamaTrendStrategy(string strategyId, string symbol, int period, int fast, int slow) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "kama-trend", "Long while the close is above Kaufman's adaptive moving average, short while below.",
        [
            Whole("period", 10, 2, 1000, "Bars in the efficiency ratio"),
            Whole("fast", 2, 1, 100, "Fastest smoothing, as an EMA period"),
            Whole("slow", 30, 2, 1000, "Slowest smoothing, as an EMA period; above fast"),
        ],
        (id, symbol, p) => new KamaTrendStrategy(id, symbol, p.Whole("period"), p.Whole("fast"), p.Whole("slow")),
        ParameterRule.Below("fast", "slow"));

    private readonly KaufmanAdaptiveMovingAverage _kama = new(period, fast, slow);

    public override bool IsReady => _kama.IsReady;

    protected override void Update(Candle candle) => _kama.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (Above((double)candle.Close, _kama.Current), 1, $"close {candle.Close} vs KAMA({period},{fast},{slow}) {_kama.Current:G6}");
}
