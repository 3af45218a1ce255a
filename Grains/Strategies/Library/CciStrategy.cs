using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>CCI mean reversion: long once CCI falls below −threshold, short above +threshold, flat when it crosses 0.</summary>
public sealed class CciStrategy(string strategyId, string symbol, int period, double threshold) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "cci", "Commodity channel index: long below −threshold, short above +threshold, flat when it crosses 0.",
        [Whole("period", 20, 2, 1000, "Bars of typical price"), Number("threshold", 100, 10, 500, "Distance from 0 that opens a position")],
        (id, symbol, p) => new CciStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly CommodityChannelIndex _cci = new(period);
    private readonly ReversionBands _bands = new(-threshold, threshold, 0);

    public override bool IsReady => _cci.IsReady;

    protected override void Update(Candle candle) => _cci.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_bands.Next(_cci.Current), 1, $"CCI({period}) {_cci.Current:F1} (±{threshold})");
}
