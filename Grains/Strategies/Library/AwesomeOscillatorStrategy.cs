using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>Awesome oscillator: SMA(fast) − SMA(slow) of the median price; long while positive and rising, short while negative and falling.</summary>
public sealed class AwesomeOscillatorStrategy(string strategyId, string symbol, int fastPeriod, int slowPeriod) : BarStrategy(strategyId, symbol)
{
    public static StrategyType Type { get; } = StrategyType.Single(
        "awesome-oscillator", "Bill Williams' AO = SMA(fast) − SMA(slow) of (H + L) / 2: long while above 0 and rising, short while below 0 and falling, flat otherwise.",
        [Whole("fast", 5, 1, 500, "Bars in the fast SMA"), Whole("slow", 34, 2, 2000, "Bars in the slow SMA; above fast")],
        (id, symbol, p) => new AwesomeOscillatorStrategy(id, symbol, p.Whole("fast"), p.Whole("slow")),
        ParameterRule.Below("fast", "slow"));

    private readonly SimpleMovingAverage _fast = new(fastPeriod);
    private readonly SimpleMovingAverage _slow = new(slowPeriod);
    private double _previous = double.NaN;
    private double _current = double.NaN;

    public override bool IsReady => !double.IsNaN(_previous);

    protected override void Update(Candle candle)
    {
        var median = ((double)candle.High + (double)candle.Low) / 2;
        _fast.Update(median);
        _slow.Update(median);
        if (_slow.IsReady)
        {
            (_previous, _current) = (_current, _fast.Current - _slow.Current);
        }
    }

    protected override (SignalDirection, double, string) Decide(Candle candle)
    {
        var direction = _current > 0 && _current > _previous ? SignalDirection.Long
            : _current < 0 && _current < _previous ? SignalDirection.Short
            : SignalDirection.Flat;
        return (direction, 1, $"AO({fastPeriod},{slowPeriod}) {_current:G6}, previous {_previous:G6}");
    }
}
