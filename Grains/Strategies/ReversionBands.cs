using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Mean-reversion position on an oscillator: long once it falls below <c>low</c>, short once it rises above
/// <c>high</c>, back to flat when it crosses <c>exit</c> (a long that overshoots above <c>high</c> turns short).
/// </summary>
public sealed class ReversionBands(double low, double high, double exit)
{
    public SignalDirection Position { get; private set; } = SignalDirection.Flat;

    public SignalDirection Next(double value) => Position = Position switch
    {
        SignalDirection.Long when value >= exit => value > high ? SignalDirection.Short : SignalDirection.Flat,
        SignalDirection.Short when value <= exit => value < low ? SignalDirection.Long : SignalDirection.Flat,
        SignalDirection.Flat when value < low => SignalDirection.Long,
        SignalDirection.Flat when value > high => SignalDirection.Short,
        var held => held,
    };
}
