using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// A signal's target position: <c>TargetExposure × PositionSizeFraction × equity / price</c>, the size fraction being
/// <c>clamp(KellyFraction × f*, 0, PositionSizeFraction)</c> with Kelly sizing on; a short target is 0 without short
/// selling; the pair strategies' sub-positions on the symbol are added to it. An order asked for brings its own target.
/// </summary>
public sealed class TargetSizingRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        if (order.Signal is not { } signal)
        {
            return null;
        }

        var limits = order.Limits;
        var exposureFraction = (decimal)signal.TargetExposure;
        // A blown account has nothing to size on: negative equity would turn a long vote into a short.
        var sizingEquity = Math.Max(order.Equity, 0m);
        var sizeFraction = limits.PositionSizeFraction;
        if (limits.KellyFraction > 0 && signal.FullKelly is { } fullKelly)
        {
            sizeFraction = (decimal)Math.Clamp((double)limits.KellyFraction * fullKelly, 0, (double)limits.PositionSizeFraction);
            order.Notes.Add(RiskCheck.Invariant($"Kelly: {limits.KellyFraction} × f* {fullKelly:0.####} within [0, {limits.PositionSizeFraction}] = {sizeFraction:0.####} of equity"));
        }

        var target = exposureFraction * sizeFraction * sizingEquity / order.Price;
        order.Notes.Add(RiskCheck.Invariant($"target {exposureFraction:0.####} × {sizeFraction * 100:0.####} % of equity {order.Equity:0.##} / {order.Price} = {target:0.#####}"));
        if (target < 0 && !limits.AllowShortSelling)
        {
            target = 0;
            order.ShortBlocked = true;
            order.Notes.Add("short selling disabled: target 0");
        }

        if (order.Inputs.SpreadQuantity != 0)
        {
            // The pair strategies' legs on the symbol are held beside the vote's target, not traded away by it.
            target += order.Inputs.SpreadQuantity;
            order.Notes.Add(RiskCheck.Invariant($"+ pair legs {order.Inputs.SpreadQuantity:0.#####} = {target:0.#####}"));
        }

        order.Target = target;
        return null;
    }
}
