using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Volatility breakout: long when the close rises more than k × ATR above the previous close, short when it falls
/// that much below; the position is held until the opposite breakout (stop and reverse).
/// </summary>
public sealed class VolatilityBreakoutStrategy(string strategyId, string symbol, int period, double multiplier) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "volatility-breakout", "Long on a one-bar move above previous close + k·ATR, short below previous close − k·ATR, held until the opposite breakout.",
        [Whole("period", 14, 2, 500, "Bars in the ATR"), Number("multiplier", 1, 0.1, 10, "Move, in ATRs, that counts as a breakout")],
        (id, symbol, p) => new VolatilityBreakoutStrategy(id, symbol, p.Whole("period"), p["multiplier"]));

    private readonly AverageTrueRange _atr = new(period);
    private double _previousClose = double.NaN;
    private double _threshold = double.NaN;
    private SignalDirection _position;

    public override bool IsReady => _atr.IsReady && !double.IsNaN(_threshold);

    protected override void Update(Candle candle)
    {
        // Judge this bar against the ATR of the bars before it.
        var close = (double)candle.Close;
        if (_atr.IsReady && !double.IsNaN(_previousClose))
        {
            _threshold = multiplier * _atr.Current;
            _position = close > _previousClose + _threshold ? SignalDirection.Long
                : close < _previousClose - _threshold ? SignalDirection.Short
                : _position;
        }

        _atr.Update((double)candle.High, (double)candle.Low, close);
        _previousClose = close;
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_position, 1, $"breakout threshold {_threshold:G6} ({multiplier} × ATR({period})) around the previous close");
}
