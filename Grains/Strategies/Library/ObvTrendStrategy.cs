using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>On-balance volume trend: long while OBV is above its EMA (volume confirms buying), short while below.</summary>
public sealed class ObvTrendStrategy(string strategyId, string symbol, int period) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "obv-trend", "Long while on-balance volume is above its EMA, short while below.",
        [Whole("period", 20, 2, 2000, "Bars in the EMA of OBV")],
        (id, symbol, p) => new ObvTrendStrategy(id, symbol, p.Whole("period")));

    private readonly OnBalanceVolume _obv = new();
    private readonly ExponentialMovingAverage _average = new(period);

    public override bool IsReady => _average.IsReady;

    protected override void Update(Candle candle)
    {
        _obv.Update((double)candle.Close, (double)candle.Volume);
        if (_obv.IsReady)
        {
            _average.Update(_obv.Current);
        }
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (Above(_obv.Current, _average.Current), 1, $"OBV {_obv.Current:G6} vs EMA({period}) {_average.Current:G6}");
}
