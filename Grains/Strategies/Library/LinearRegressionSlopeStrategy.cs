using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Regression slope: long when the least-squares slope of the last n closes exceeds +threshold bps of price per bar, short below −threshold.</summary>
public sealed class LinearRegressionSlopeStrategy(string strategyId, string symbol, int period, double thresholdBps) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "linreg-slope", "Long when the regression slope of the last n closes is above +threshold basis points of price per bar, short below −threshold, flat in between.",
        [Whole("period", 20, 3, 5000, "Bars in the regression"), Number("threshold", 1, 0, 1000, "Slope, in basis points of the close per bar, needed to take a side")],
        (id, symbol, p) => new LinearRegressionSlopeStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly LinearRegressionSlope _slope = new(period);

    public override bool IsReady => _slope.IsReady;

    protected override void Update(Candle candle) => _slope.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var bps = _slope.Current / (double)candle.Close * 10_000;
        var direction = bps > thresholdBps ? SignalDirection.Long : bps < -thresholdBps ? SignalDirection.Short : SignalDirection.Flat;
        return (direction, thresholdBps > 0 ? Math.Abs(bps) / (2 * thresholdBps) : 1, $"slope {bps:F2} bps/bar over {period} bars (threshold ±{thresholdBps})");
    }
}
