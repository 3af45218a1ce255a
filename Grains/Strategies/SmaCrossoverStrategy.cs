using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Grains.Strategies;

/// <summary>Trend following: long while the fast SMA of closes is above the slow one, short while below.</summary>
public sealed class SmaCrossoverStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod) : IStrategy
{
    private readonly SimpleMovingAverage _fast = new(fastPeriod);
    private readonly SimpleMovingAverage _slow = new(slowPeriod);

    public string StrategyId => strategyId;

    public string Symbol => symbol;

    public bool IsReady => _fast.IsReady && _slow.IsReady;

    public Signal? OnCandle(Candle candle)
    {
        _fast.Update((double)candle.Close);
        _slow.Update((double)candle.Close);
        if (!IsReady)
        {
            return null;
        }

        var (fast, slow) = (_fast.Current, _slow.Current);
        var direction = fast > slow ? SignalDirection.Long : fast < slow ? SignalDirection.Short : SignalDirection.Flat;
        var relation = direction switch { SignalDirection.Long => "above", SignalDirection.Short => "below", _ => "equal to" };
        return new Signal(
            strategyId, symbol, direction, direction == SignalDirection.Flat ? 0 : 1,
            candle.Close, $"SMA({fastPeriod}) {fast:G6} {relation} SMA({slowPeriod}) {slow:G6}",
            candle.CloseTime, candle.IngestedAt);
    }
}
