using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// The shape of most single-symbol strategies: update the indicators with each closed bar, and once they are
/// ready decide a direction, a strength in [0, 1] and a reason that names the numbers behind it.
/// </summary>
public abstract class BarStrategy(string strategyId, string symbol) : IStrategy
{
    public string StrategyId => strategyId;

    public string Symbol => symbol;

    public abstract bool IsReady { get; }

    public Signal? OnCandle(Candle candle)
    {
        Update(candle);
        if (!IsReady)
        {
            return null;
        }

        var (direction, strength, reason) = Decide(candle);
        var clamped = direction == SignalDirection.Flat ? 0 : Math.Clamp(strength, 0, 1);
        return new Signal(strategyId, symbol, direction, clamped, candle.Close, reason, candle.CloseTime, candle.IngestedAt);
    }

    protected abstract void Update(Candle candle);

    protected abstract (SignalDirection Direction, double Strength, string Reason) Decide(Candle candle);

    /// <summary>Long when <paramref name="value"/> is above <paramref name="reference"/>, short below, flat when equal.</summary>
    protected static SignalDirection Above(double value, double reference) =>
        value > reference ? SignalDirection.Long : value < reference ? SignalDirection.Short : SignalDirection.Flat;
}
