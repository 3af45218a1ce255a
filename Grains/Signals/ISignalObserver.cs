using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>Told every target a symbol's aggregator sends to risk, with the votes it came from (a backtest's attribution listens).</summary>
public interface ISignalObserver
{
    /// <summary>Called on the aggregator's turn: must be quick and must not throw.</summary>
    void TargetSent(CombinedSignal target);
}

/// <summary>Live trading's observer: nobody listens.</summary>
public sealed class NoSignalObserver : ISignalObserver
{
    public void TargetSent(CombinedSignal target)
    {
    }
}
