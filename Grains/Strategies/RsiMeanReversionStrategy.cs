using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Mean reversion on Wilder's RSI: goes long when RSI falls below <c>oversold</c>, short when it rises above
/// <c>overbought</c>, and back to flat when RSI crosses the <c>exit</c> level.
/// </summary>
public sealed class RsiMeanReversionStrategy(string strategyId, string symbol, int period, double oversold, double overbought, double exit) : IStrategy
{
    private readonly RelativeStrengthIndex _rsi = new(period);
    private SignalDirection _position = SignalDirection.Flat;

    public string StrategyId => strategyId;

    public string Symbol => symbol;

    public bool IsReady => _rsi.IsReady;

    public Signal? OnCandle(Candle candle)
    {
        _rsi.Update((double)candle.Close);
        if (!IsReady)
        {
            return null;
        }

        var rsi = _rsi.Current;
        _position = _position switch
        {
            SignalDirection.Long when rsi >= exit => rsi > overbought ? SignalDirection.Short : SignalDirection.Flat,
            SignalDirection.Short when rsi <= exit => rsi < oversold ? SignalDirection.Long : SignalDirection.Flat,
            SignalDirection.Flat when rsi < oversold => SignalDirection.Long,
            SignalDirection.Flat when rsi > overbought => SignalDirection.Short,
            _ => _position,
        };
        var reason = _position switch
        {
            SignalDirection.Long => $"RSI({period}) {rsi:F2}: long since below {oversold}, until {exit}",
            SignalDirection.Short => $"RSI({period}) {rsi:F2}: short since above {overbought}, until {exit}",
            _ => $"RSI({period}) {rsi:F2}: flat between {oversold} and {overbought}",
        };
        return new Signal(strategyId, symbol, _position, _position == SignalDirection.Flat ? 0 : 1, candle.Close, reason, candle.CloseTime, candle.IngestedAt);
    }
}
