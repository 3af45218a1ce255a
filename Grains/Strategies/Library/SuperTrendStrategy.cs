using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>SuperTrend: long in its up-trend (close above the trailing lower band), short in its down-trend.</summary>
public sealed class SuperTrendStrategy(string strategyId, string symbol, int period, double multiplier) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "supertrend", "Long while SuperTrend is up (close above its trailing ATR band), short while down.",
        [Whole("period", 10, 2, 500, "Bars in the ATR"), Number("multiplier", 3, 0.5, 10, "Band distance in ATRs")],
        (id, symbol, p) => new SuperTrendStrategy(id, symbol, p.Whole("period"), p["multiplier"]));

    private readonly SuperTrend _trend = new(period, multiplier);

    public override bool IsReady => _trend.IsReady;

    protected override void Update(Candle candle) => _trend.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_trend.IsUp ? SignalDirection.Long : SignalDirection.Short, 1, $"SuperTrend({period}, {multiplier}) {(_trend.IsUp ? "up" : "down")}, band {_trend.Current:G6}");
}
