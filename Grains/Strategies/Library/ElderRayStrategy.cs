using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Elder ray: bull power = high − EMA, bear power = low − EMA. Buy dips in an up-trend (EMA rising, bear power
/// below 0), sell rallies in a down-trend (EMA falling, bull power above 0); held while the EMA keeps its slope.
/// </summary>
public sealed class ElderRayStrategy(string strategyId, string symbol, int period) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "elder-ray", "Long on bear power < 0 while the EMA rises, short on bull power > 0 while it falls; flat when the EMA turns against the position.",
        [Whole("period", 13, 2, 1000, "Bars in the EMA")],
        (id, symbol, p) => new ElderRayStrategy(id, symbol, p.Whole("period")));

    private readonly ExponentialMovingAverage _ema = new(period);
    private double _previousEma = double.NaN;
    private double _slope = double.NaN;
    private SignalDirection _position;

    public override bool IsReady => !double.IsNaN(_slope);

    protected override void Update(Candle candle)
    {
        _ema.Update((double)candle.Close);
        if (!_ema.IsReady)
        {
            return;
        }

        if (!double.IsNaN(_previousEma))
        {
            _slope = _ema.Current - _previousEma;
        }

        _previousEma = _ema.Current;
    }

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var bull = (double)candle.High - _ema.Current;
        var bear = (double)candle.Low - _ema.Current;
        _position = _slope > 0 && bear < 0 ? SignalDirection.Long
            : _slope < 0 && bull > 0 ? SignalDirection.Short
            : (_position == SignalDirection.Long && _slope < 0) || (_position == SignalDirection.Short && _slope > 0) ? SignalDirection.Flat
            : _position;
        return (_position, 1, $"EMA({period}) {_ema.Current:G6} {(_slope > 0 ? "rising" : _slope < 0 ? "falling" : "flat")}, bull power {bull:G4}, bear power {bear:G4}");
    }
}
