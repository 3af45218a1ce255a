using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Mean reversion on Wilder's RSI: goes long when RSI falls below <c>oversold</c>, short when it rises above
/// <c>overbought</c>, and back to flat when RSI crosses the <c>exit</c> level.
/// </summary>
public sealed class RsiMeanReversionStrategy(string strategyId, string symbol, int period, double oversold, double overbought, double exit)
    : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "rsi-mean-reversion", "Wilder RSI: long below oversold, short above overbought, flat when RSI crosses exit.",
        [
            Whole("period", 14, 2, 500, "Bars of price change in the RSI"),
            Number("oversold", 30, 0, 100, "RSI below which to go long"),
            Number("overbought", 70, 0, 100, "RSI above which to go short"),
            Number("exit", 50, 0, 100, "RSI level that closes a position; between oversold and overbought"),
        ],
        (id, symbol, p) => new RsiMeanReversionStrategy(id, symbol, p.Whole("period"), p["oversold"], p["overbought"], p["exit"]),
        ParameterRule.Below("oversold", "exit"), ParameterRule.Below("exit", "overbought"));

    private readonly RelativeStrengthIndex _rsi = new(period);
    private readonly ReversionBands _bands = new(oversold, overbought, exit);

    public override bool IsReady => _rsi.IsReady;

    protected override void Update(Candle candle) => _rsi.Update((double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var rsi = _rsi.Current;
        var position = _bands.Next(rsi);
        var reason = position switch
        {
            SignalDirection.Long => $"RSI({period}) {rsi:F2}: long since below {oversold}, until {exit}",
            SignalDirection.Short => $"RSI({period}) {rsi:F2}: short since above {overbought}, until {exit}",
            _ => $"RSI({period}) {rsi:F2}: flat between {oversold} and {overbought}",
        };
        return (position, 1, reason);
    }
}
