using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Chande momentum oscillator reversion: long below −threshold, short above +threshold, flat when it crosses 0.</summary>
public sealed class ChandeMomentumStrategy(string strategyId, string symbol, int period, double threshold) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "chande-momentum", "Chande momentum oscillator: long below −threshold, short above +threshold, flat when it crosses 0.",
        [Whole("period", 14, 2, 1000, "Bars of price change"), Number("threshold", 50, 5, 100, "Distance from 0 that opens a position")],
        (id, symbol, p) => new ChandeMomentumStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly ChandeMomentumOscillator _cmo = new(period);
    private readonly ReversionBands _bands = new(-threshold, threshold, 0);

    public override bool IsReady => _cmo.IsReady;

    protected override void Update(Candle candle) => _cmo.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_bands.Next(_cmo.Current), 1, $"CMO({period}) {_cmo.Current:F1} (±{threshold})");
}
