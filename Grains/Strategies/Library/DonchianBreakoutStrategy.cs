using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Turtle / Donchian breakout: long when the close exceeds the highest high of the previous <c>entry</c> bars,
/// short below the lowest low; a long exits below the lowest low of the previous <c>exit</c> bars, a short above
/// their highest high.
/// </summary>
public sealed class DonchianBreakoutStrategy(string strategyId, string symbol, int entryPeriod, int exitPeriod) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "donchian-breakout", "Turtle rules: enter on a break of the previous entry-bar high/low, exit on a break of the previous exit-bar low/high.",
        [Whole("entry", 20, 2, 1000, "Bars whose high/low a close must break to enter"), Whole("exit", 10, 1, 1000, "Bars whose low/high a close must break to exit; below entry")],
        (id, symbol, p) => new DonchianBreakoutStrategy(id, symbol, p.Whole("entry"), p.Whole("exit")),
        ParameterRule.Below("exit", "entry"));

    private readonly RollingExtreme _entryHigh = new(entryPeriod, true);
    private readonly RollingExtreme _entryLow = new(entryPeriod, false);
    private readonly RollingExtreme _exitHigh = new(exitPeriod, true);
    private readonly RollingExtreme _exitLow = new(exitPeriod, false);
    private SignalDirection _position;
    private bool _decided;

    public override bool IsReady => _decided;

    protected override void Update(Candle candle)
    {
        var (high, low, close) = ((double)candle.High, (double)candle.Low, (double)candle.Close);
        // Channels of the previous bars: decide first, then add this bar.
        if (_entryHigh.IsReady)
        {
            _position = close > _entryHigh.Current ? SignalDirection.Long
                : close < _entryLow.Current ? SignalDirection.Short
                : _position == SignalDirection.Long && close < _exitLow.Current ? SignalDirection.Flat
                : _position == SignalDirection.Short && close > _exitHigh.Current ? SignalDirection.Flat
                : _position;
            _decided = true;
        }

        _entryHigh.Update(high);
        _entryLow.Update(low);
        _exitHigh.Update(high);
        _exitLow.Update(low);
    }

    protected override (SignalDirection, double, string) Decide(Candle candle) =>
        (_position, 1, $"close {candle.Close} vs {entryPeriod}-bar channel {_entryLow.Current:G6}–{_entryHigh.Current:G6}, exit channel {exitPeriod} bars");
}
