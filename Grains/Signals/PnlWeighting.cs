using System.Globalization;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// A strategy's performance factor from its attributed PnL after fees: exp(η × r) within [floor, cap], where r is its
/// PnL over the horizon as a share of the capital a full-strength target commits. These are the exponential weights of
/// the Hedge algorithm (Freund and Schapire, 1997) over a sliding window: weights grow with gains and shrink with
/// losses, multiplicatively, so equal PnL moves any weight by the same factor. A strategy with no attributed PnL yet
/// keeps its configured weight (× 1).
/// </summary>
public static class PnlWeighting
{
    public static double Factor(StrategyPnl? pnl, SignalOptions options) =>
        ReturnOf(pnl) is { } r ? Math.Clamp(Math.Exp(options.PnlSensitivity * r), options.WeightFloor, options.WeightCap) : 1.0;

    /// <summary>Why the factor is what it is, in words.</summary>
    public static string Explain(StrategyPnl? pnl, SignalOptions options)
    {
        if (ReturnOf(pnl) is not { } r)
        {
            return "no attributed PnL on this symbol yet: configured weight unchanged";
        }

        var horizon = pnl!.Horizon.ToString("c", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"attributed PnL after fees over {horizon}: {pnl.PnlOverHorizon:+0.####;-0.####;0} ({r:+0.00%;-0.00%;0.00%} of a full position, {pnl.FullPositionCapital:0.##}): weight × exp({options.PnlSensitivity} × {r:0.####}) = {Factor(pnl, options):F2} (within [{options.WeightFloor}, {options.WeightCap}])");
    }

    private static double? ReturnOf(StrategyPnl? pnl) =>
        pnl is { FullPositionCapital: > 0 } ? (double)(pnl.PnlOverHorizon / pnl.FullPositionCapital) : null;
}
