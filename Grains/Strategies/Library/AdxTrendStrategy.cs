using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>ADX trend filter: while ADX is above the threshold, long if +DI &gt; −DI and short otherwise; flat in weak trends.</summary>
public sealed class AdxTrendStrategy(string strategyId, string symbol, int period, double threshold) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "adx-trend", "Trades the direction of +DI vs −DI while ADX shows a trend (above threshold); flat otherwise. Strength grows with ADX.",
        [Whole("period", 14, 2, 500, "Wilder period of DI and ADX"), Number("threshold", 25, 5, 80, "ADX above which a trend is traded")],
        (id, symbol, p) => new AdxTrendStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly DirectionalMovement _dm = new(period);

    public override bool IsReady => _dm.IsReady;

    protected override void Update(Candle candle) => _dm.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var direction = _dm.Adx > threshold ? Above(_dm.PlusDi, _dm.MinusDi) : SignalDirection.Flat;
        return (direction, _dm.Adx / (2 * threshold), $"ADX({period}) {_dm.Adx:F1} (threshold {threshold}), +DI {_dm.PlusDi:F1}, −DI {_dm.MinusDi:F1}");
    }
}
