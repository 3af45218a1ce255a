using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>VWAP reversion: long when the close is more than <c>band</c> % below the rolling VWAP, short above it, flat back at VWAP.</summary>
public sealed class VwapReversionStrategy(string strategyId, string symbol, int period, double bandPercent) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "vwap-reversion", "Long when the close is band % below the rolling VWAP, short when band % above, flat when it returns to VWAP.",
        [Whole("period", 48, 2, 5000, "Bars in the rolling VWAP"), Number("band", 0.5, 0.01, 50, "Distance from VWAP, in percent, that opens a position")],
        (id, symbol, p) => new VwapReversionStrategy(id, symbol, p.Whole("period"), p["band"]));

    private readonly RollingVwap _vwap = new(period);
    private readonly ReversionBands _bands = new(-bandPercent, bandPercent, 0);

    public override bool IsReady => _vwap.IsReady && !double.IsNaN(_vwap.Current);

    protected override void Update(Candle candle) =>
        _vwap.Update((double)candle.High, (double)candle.Low, (double)candle.Close, (double)candle.Volume);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var distance = 100 * ((double)candle.Close / _vwap.Current - 1);
        return (_bands.Next(distance), 1, $"close {distance:F3} % from VWAP({period}) {_vwap.Current:G6} (band ±{bandPercent} %)");
    }
}
