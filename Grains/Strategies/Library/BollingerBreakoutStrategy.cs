using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Bollinger breakout: long when the close breaks above the upper band, short below the lower; flat back at the middle.</summary>
public sealed class BollingerBreakoutStrategy(string strategyId, string symbol, int period, double width) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "bollinger-breakout", "Long on a close above the upper Bollinger band, short below the lower; flat when it crosses back over the middle.",
        [Whole("period", 20, 2, 1000, "Bars in the average and deviation"), Number("width", 2, 0.1, 10, "Band distance in standard deviations")],
        (id, symbol, p) => new BollingerBreakoutStrategy(id, symbol, p.Whole("period"), p["width"]));

    private readonly BollingerBands _bands = new(period, width);
    private SignalDirection _position;

    public override bool IsReady => _bands.IsReady;

    protected override void Update(Candle candle) => _bands.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var close = (double)candle.Close;
        _position = close > _bands.Upper ? SignalDirection.Long
            : close < _bands.Lower ? SignalDirection.Short
            : _position == SignalDirection.Long && close < _bands.Middle ? SignalDirection.Flat
            : _position == SignalDirection.Short && close > _bands.Middle ? SignalDirection.Flat
            : _position;
        return (_position, 1, $"close {close:G6} against bands {_bands.Lower:G6} / {_bands.Middle:G6} / {_bands.Upper:G6}");
    }
}
