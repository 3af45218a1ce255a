using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Heikin-Ashi trend: long after n bullish Heikin-Ashi candles in a row, short after n bearish ones, held until the opposite run.</summary>
public sealed class HeikinAshiTrendStrategy(string strategyId, string symbol, int run) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "heikin-ashi", "Long after a run of bullish Heikin-Ashi candles, short after a run of bearish ones.",
        [Whole("run", 3, 1, 50, "Consecutive same-colour Heikin-Ashi candles that set the direction")],
        (id, symbol, p) => new HeikinAshiTrendStrategy(id, symbol, p.Whole("run")));

    private readonly HeikinAshi _candles = new();
    private int _streak;
    private SignalDirection _position;

    public override bool IsReady => _candles.IsReady;

    protected override void Update(Candle candle)
    {
        _candles.Update((double)candle.Open, (double)candle.High, (double)candle.Low, (double)candle.Close);
        var colour = _candles.IsBullish ? 1 : _candles.Close < _candles.Open ? -1 : 0;
        _streak = colour == 0 ? 0 : Math.Sign(_streak) == colour ? _streak + colour : colour;
        _position = _streak >= run ? SignalDirection.Long : _streak <= -run ? SignalDirection.Short : _position;
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_position, 1, $"Heikin-Ashi run {_streak:+0;-0;0} (needs {run}), HA open {_candles.Open:G6}, close {_candles.Close:G6}");
}
