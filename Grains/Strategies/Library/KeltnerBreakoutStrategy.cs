using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Keltner breakout: long on a close above EMA + k·ATR, short below EMA − k·ATR, flat back at the EMA.</summary>
public sealed class KeltnerBreakoutStrategy(string strategyId, string symbol, int period, int atrPeriod, double width) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "keltner-breakout", "Long on a close above the upper Keltner channel, short below the lower; flat when it crosses back over the EMA.",
        [
            Whole("period", 20, 2, 1000, "Bars in the EMA (channel middle)"),
            Whole("atrPeriod", 10, 2, 1000, "Bars in the ATR"),
            Number("width", 2, 0.1, 10, "Channel distance in ATRs"),
        ],
        (id, symbol, p) => new KeltnerBreakoutStrategy(id, symbol, p.Whole("period"), p.Whole("atrPeriod"), p["width"]));

    private readonly KeltnerChannel _channel = new(period, atrPeriod, width);
    private SignalDirection _position;

    public override bool IsReady => _channel.IsReady;

    protected override void Update(Candle candle) => _channel.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var close = (double)candle.Close;
        _position = close > _channel.Upper ? SignalDirection.Long
            : close < _channel.Lower ? SignalDirection.Short
            : _position == SignalDirection.Long && close < _channel.Middle ? SignalDirection.Flat
            : _position == SignalDirection.Short && close > _channel.Middle ? SignalDirection.Flat
            : _position;
        return (_position, 1, $"close {close:G6} against Keltner {_channel.Lower:G6} / {_channel.Middle:G6} / {_channel.Upper:G6}");
    }
}
