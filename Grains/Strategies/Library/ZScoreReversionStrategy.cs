using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Z-score reversion: long when the close is entry σ below its rolling mean, short entry σ above, flat within exit σ.</summary>
public sealed class ZScoreReversionStrategy(string strategyId, string symbol, int period, double entry, double exit) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "zscore-reversion", "Long when the close's z-score against its rolling mean is below −entry, short above +entry, flat once |z| < exit; strength grows with |z|.",
        [
            Whole("period", 50, 3, 5000, "Bars in the rolling mean and deviation"),
            Number("entry", 2, 0.1, 10, "|z| that opens a position"),
            Number("exit", 0.5, 0, 10, "|z| below which it closes; below entry"),
        ],
        (id, symbol, p) => new ZScoreReversionStrategy(id, symbol, p.Whole("period"), p["entry"], p["exit"]),
        ParameterRule.Below("exit", "entry"));

    private readonly BollingerBands _statistics = new(period, 1);
    private SignalDirection _position;

    public override bool IsReady => _statistics.IsReady;

    protected override void Update(Candle candle) => _statistics.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var z = _statistics.Deviation > 0 ? ((double)candle.Close - _statistics.Middle) / _statistics.Deviation : 0;
        _position = z < -entry ? SignalDirection.Long
            : z > entry ? SignalDirection.Short
            : Math.Abs(z) < exit ? SignalDirection.Flat
            : _position;
        return (_position, Math.Abs(z) / (2 * entry), $"z {z:F2} against mean {_statistics.Middle:G6} over {period} bars (entry ±{entry}, exit {exit})");
    }
}
