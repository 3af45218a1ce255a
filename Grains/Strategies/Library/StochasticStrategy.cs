using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Stochastic mean reversion: long once %D falls below oversold, short once it rises above overbought, flat at 50.</summary>
public sealed class StochasticStrategy(string strategyId, string symbol, int period, int smoothing, double oversold, double overbought)
    : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "stochastic", "Stochastic %D: long below oversold, short above overbought, flat when it crosses 50.",
        [
            Whole("period", 14, 2, 1000, "Bars in the high-low range of %K"),
            Whole("smoothing", 3, 1, 100, "Bars in the %D average of %K"),
            Number("oversold", 20, 0, 50, "%D below which to go long"),
            Number("overbought", 80, 50, 100, "%D above which to go short"),
        ],
        (id, symbol, p) => new StochasticStrategy(id, symbol, p.Whole("period"), p.Whole("smoothing"), p["oversold"], p["overbought"]));

    private readonly Stochastic _stochastic = new(period, smoothing);
    private readonly ReversionBands _bands = new(oversold, overbought, 50);

    public override bool IsReady => _stochastic.IsReady;

    protected override void Update(Candle candle) => _stochastic.Update((double)candle.High, (double)candle.Low, (double)candle.Close);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_bands.Next(_stochastic.D), 1, $"stochastic({period},{smoothing}) %K {_stochastic.K:F1}, %D {_stochastic.D:F1} (bands {oversold}/{overbought})");
}
