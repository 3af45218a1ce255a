using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Williams %R mean reversion: long once %R falls below oversold (−80), short above overbought (−20), flat at −50.</summary>
public sealed class WilliamsRStrategy(string strategyId, string symbol, int period, double oversold, double overbought) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "williams-r", "Williams %R: long below oversold, short above overbought, flat when it crosses −50.",
        [
            Whole("period", 14, 2, 1000, "Bars in the high-low range"),
            Number("oversold", -80, -100, -50, "%R below which to go long"),
            Number("overbought", -20, -50, 0, "%R above which to go short"),
        ],
        (id, symbol, p) => new WilliamsRStrategy(id, symbol, p.Whole("period"), p["oversold"], p["overbought"]));

    private readonly WilliamsPercentR _r = new(period);
    private readonly ReversionBands _bands = new(oversold, overbought, -50);

    public override bool IsReady => _r.IsReady;

    protected override void Update(Candle candle) => _r.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_bands.Next(_r.Current), 1, $"Williams %R({period}) {_r.Current:F1} (bands {oversold}/{overbought})");
}
