using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Money flow index mean reversion: long below oversold, short above overbought, flat when it crosses 50.</summary>
public sealed class MfiStrategy(string strategyId, string symbol, int period, double oversold, double overbought) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "mfi", "Money flow index (volume-weighted RSI): long below oversold, short above overbought, flat when it crosses 50.",
        [
            Whole("period", 14, 2, 1000, "Bars of money flow"),
            Number("oversold", 20, 0, 50, "MFI below which to go long"),
            Number("overbought", 80, 50, 100, "MFI above which to go short"),
        ],
        (id, symbol, p) => new MfiStrategy(id, symbol, p.Whole("period"), p["oversold"], p["overbought"]));

    private readonly MoneyFlowIndex _mfi = new(period);
    private readonly ReversionBands _bands = new(oversold, overbought, 50);

    public override bool IsReady => _mfi.IsReady;

    protected override void Update(Candle candle) =>
        _mfi.Update((double)candle.High, (double)candle.Low, (double)candle.Close, (double)candle.Volume);

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_bands.Next(_mfi.Current), 1, $"MFI({period}) {_mfi.Current:F1} (bands {oversold}/{overbought})");
}
