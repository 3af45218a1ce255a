using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Dual Thrust: range = max(HH − LC, HC − LL) over the previous n bars; long when the close exceeds this bar's
/// open + k₁ × range, short below open − k₂ × range; held until the opposite trigger (stop and reverse).
/// </summary>
public sealed class DualThrustStrategy(string strategyId, string symbol, int period, double upper, double lower) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "dual-thrust", "Long above open + k1·range, short below open − k2·range, range from the previous n bars' highs, lows and closes.",
        [
            Whole("period", 4, 1, 500, "Bars in the range"),
            Number("k1", 0.5, 0.01, 5, "Share of the range above the open that triggers a long"),
            Number("k2", 0.5, 0.01, 5, "Share of the range below the open that triggers a short"),
        ],
        (id, symbol, p) => new DualThrustStrategy(id, symbol, p.Whole("period"), p["k1"], p["k2"]));

    private readonly RollingExtreme _highestHigh = new(period, true);
    private readonly RollingExtreme _lowestLow = new(period, false);
    private readonly RollingExtreme _highestClose = new(period, true);
    private readonly RollingExtreme _lowestClose = new(period, false);
    private double _range = double.NaN;
    private SignalDirection _position;

    public override bool IsReady => !double.IsNaN(_range);

    protected override void Update(Candle candle)
    {
        var (open, close) = ((double)candle.Open, (double)candle.Close);
        if (_highestHigh.IsReady)
        {
            _range = Math.Max(_highestHigh.Current - _lowestClose.Current, _highestClose.Current - _lowestLow.Current);
            _position = close > open + upper * _range ? SignalDirection.Long
                : close < open - lower * _range ? SignalDirection.Short
                : _position;
        }

        _highestHigh.Update((double)candle.High);
        _lowestLow.Update((double)candle.Low);
        _highestClose.Update(close);
        _lowestClose.Update(close);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_position, 1, $"open {candle.Open}, range {_range:G6} over {period} bars, triggers +{upper}/−{lower} × range, close {candle.Close}");
}
