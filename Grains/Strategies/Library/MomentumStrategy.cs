using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Momentum: long when the n-bar rate of change exceeds +threshold %, short below −threshold %, flat in between.</summary>
public sealed class MomentumStrategy(string strategyId, string symbol, int period, double thresholdPercent) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "momentum", "Rate of change over n bars: long above +threshold %, short below −threshold %, flat in between; strength grows with |ROC|.",
        [Whole("period", 12, 1, 2000, "Bars of price change"), Number("threshold", 0.5, 0, 100, "ROC in percent needed to take a side")],
        (id, symbol, p) => new MomentumStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly RateOfChange _roc = new(period);

    public override bool IsReady => _roc.IsReady;

    protected override void Update(Candle candle) => _roc.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var roc = _roc.Current;
        var direction = roc > thresholdPercent ? SignalDirection.Long : roc < -thresholdPercent ? SignalDirection.Short : SignalDirection.Flat;
        return (direction, thresholdPercent > 0 ? Math.Abs(roc) / (2 * thresholdPercent) : 1, $"ROC({period}) {roc:F3} % (threshold ±{thresholdPercent} %)");
    }
}
