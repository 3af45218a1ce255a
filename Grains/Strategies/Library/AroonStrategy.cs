using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Aroon: long when Aroon-up is above the threshold and above Aroon-down, short in the mirror case, flat otherwise.</summary>
public sealed class AroonStrategy(string strategyId, string symbol, int period, double threshold) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "aroon", "Long when Aroon-up ≥ threshold and above Aroon-down (a recent high), short in the mirror case, flat otherwise.",
        [Whole("period", 25, 2, 1000, "Bars looked back for the high and low"), Number("threshold", 70, 50, 100, "Aroon level that signals a trend")],
        (id, symbol, p) => new AroonStrategy(id, symbol, p.Whole("period"), p["threshold"]));

    private readonly Aroon _aroon = new(period);

    public override bool IsReady => _aroon.IsReady;

    protected override void Update(Candle candle) => _aroon.Update((double)candle.High, (double)candle.Low);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var (up, down) = (_aroon.Up, _aroon.Down);
        var direction = up >= threshold && up > down ? SignalDirection.Long
            : down >= threshold && down > up ? SignalDirection.Short
            : SignalDirection.Flat;
        return (direction, Math.Abs(up - down) / 100, $"Aroon({period}) up {up:F0}, down {down:F0} (threshold {threshold})");
    }
}
