using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Bollinger mean reversion: long below the lower band, short above the upper band, flat back at the middle.</summary>
public sealed class BollingerReversionStrategy(string strategyId, string symbol, int period, double width) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "bollinger-reversion", "Long when the close falls below the lower Bollinger band, short above the upper one, flat at the middle.",
        [Whole("period", 20, 2, 1000, "Bars in the average and deviation"), Number("width", 2, 0.1, 10, "Band distance in standard deviations")],
        (id, symbol, p) => new BollingerReversionStrategy(id, symbol, p.Whole("period"), p["width"]));

    private readonly BollingerBands _bands = new(period, width);
    private readonly ReversionBands _position = new(-width, width, 0);

    public override bool IsReady => _bands.IsReady;

    protected override void Update(Candle candle) => _bands.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        // In deviations from the middle, the bands sit at ±width.
        var z = _bands.Deviation > 0 ? ((double)candle.Close - _bands.Middle) / _bands.Deviation : 0;
        return (_position.Next(z), 1, $"close {candle.Close} is {z:F2} σ from the middle {_bands.Middle:G6} (bands ±{width} σ)");
    }
}
