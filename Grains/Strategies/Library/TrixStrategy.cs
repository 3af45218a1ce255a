using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>TRIX: long while TRIX is above its signal line, short while below.</summary>
public sealed class TrixStrategy(string strategyId, string symbol, int period, int signal) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "trix", "Long while TRIX (rate of change of a triple EMA) is above its signal EMA, short while below.",
        [Whole("period", 15, 2, 500, "Bars in each of the three EMAs"), Whole("signal", 9, 1, 500, "Bars in the signal EMA")],
        (id, symbol, p) => new TrixStrategy(id, symbol, p.Whole("period"), p.Whole("signal")));

    private readonly Trix _trix = new(period, signal);

    public override bool IsReady => _trix.IsReady;

    protected override void Update(Candle candle) => _trix.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (Above(_trix.Current, _trix.Signal), 1, $"TRIX({period}) {_trix.Current:G4} vs signal {_trix.Signal:G4}");
}
