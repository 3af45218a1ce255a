using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Ichimoku: long when the close is above the cloud and tenkan above kijun, short when below the cloud and tenkan below kijun.</summary>
public sealed class IchimokuStrategy(string strategyId, string symbol, int conversion, int baseline, int span) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "ichimoku", "Long above the cloud with tenkan > kijun, short below it with tenkan < kijun, flat otherwise.",
        [
            Whole("conversion", 9, 2, 500, "Bars of the tenkan-sen (conversion line)"),
            Whole("baseline", 26, 3, 1000, "Bars of the kijun-sen (base line), also the cloud's displacement"),
            Whole("span", 52, 4, 2000, "Bars of senkou span B"),
        ],
        (id, symbol, p) => new IchimokuStrategy(id, symbol, p.Whole("conversion"), p.Whole("baseline"), p.Whole("span")),
        ParameterRule.Below("conversion", "baseline"), ParameterRule.Below("baseline", "span"));

    private readonly Ichimoku _ichimoku = new(conversion, baseline, span);

    public override bool IsReady => _ichimoku.IsReady;

    protected override void Update(Candle candle) => _ichimoku.Update((double)candle.High, (double)candle.Low);

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var close = (double)candle.Close;
        var direction = close > _ichimoku.CloudTop && _ichimoku.Tenkan > _ichimoku.Kijun ? SignalDirection.Long
            : close < _ichimoku.CloudBottom && _ichimoku.Tenkan < _ichimoku.Kijun ? SignalDirection.Short
            : SignalDirection.Flat;
        return (direction, 1, $"close {close:G6}, cloud {_ichimoku.CloudBottom:G6}–{_ichimoku.CloudTop:G6}, tenkan {_ichimoku.Tenkan:G6}, kijun {_ichimoku.Kijun:G6}");
    }
}
