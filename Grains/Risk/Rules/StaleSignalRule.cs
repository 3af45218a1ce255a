using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// A signal that reaches risk later than <see cref="RiskOptions.MaxSignalAge"/> after its market data was ingested is
/// dropped, before the portfolio is asked: the market has moved on. Checked first, so a backlog drains at once.
/// </summary>
public static class StaleSignalRule
{
    public static RiskDenial? Check(CombinedSignal signal, DateTimeOffset now, TimeSpan maxAge)
    {
        var age = now - signal.IngestedAt;
        return age > maxAge
            ? new RiskDenial(RiskRejectionReason.StaleSignal, RiskCheck.Invariant(
                $"The signal is {age.TotalMilliseconds:0} ms old, past the {maxAge.TotalMilliseconds:0} ms limit (Trading:Risk:MaxSignalAge): dropped; the next bar restates the target"))
            : null;
    }
}
