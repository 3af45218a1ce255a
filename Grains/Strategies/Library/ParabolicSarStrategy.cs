using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Parabolic SAR: long while price trades above the SAR, short while below (always in the market).</summary>
public sealed class ParabolicSarStrategy(string strategyId, string symbol, double step, double maximum) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "parabolic-sar", "Wilder's stop-and-reverse: long while the SAR is below price, short while above.",
        [Number("step", 0.02, 0.001, 0.5, "Acceleration factor step"), Number("maximum", 0.2, 0.01, 1, "Largest acceleration factor; at least step")],
        (id, symbol, p) => new ParabolicSarStrategy(id, symbol, p["step"], p["maximum"]),
        new ParameterRule("step", p => p["step"] <= p["maximum"], p => $"Must not exceed maximum ({p["maximum"]}); got {p["step"]}."));

    private readonly ParabolicSar _sar = new(step, maximum);

    public override bool IsReady => _sar.IsReady;

    protected override void Update(Candle candle) => _sar.Update((double)candle.High, (double)candle.Low);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_sar.IsLong ? SignalDirection.Long : SignalDirection.Short, 1, $"SAR {_sar.Current:G6} {(_sar.IsLong ? "below" : "above")} price {candle.Close}");
}
