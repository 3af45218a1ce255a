using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// |net value| of the traded symbol and every symbol whose return correlation with it is at least
/// <c>CorrelationThreshold</c> stays within <c>MaxCorrelatedExposure</c> after the order: the order is scaled to what fits.
/// </summary>
public sealed class CorrelatedExposureRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var limit = order.Limits.MaxCorrelatedExposure;
        if (limit <= 0 || !order.ReturnsTrusted)
        {
            return null;
        }

        var after = order.Portfolio;
        var threshold = order.Inputs.Model.CorrelationThreshold;
        var symbols = after.View.Symbols;
        var group = Enumerable.Range(0, symbols.Count).Where(i => i == after.Traded || after.CorrelationWithTraded(i) >= threshold).ToArray();
        var groupOthers = group.Where(i => i != after.Traded).Sum(i => after.Values[i]);
        order.LimitShare(RiskRejectionReason.CorrelatedExposureLimit, $"correlated exposure ({string.Join("+", group.Select(i => symbols[i]))}, ρ ≥ {threshold})",
            limit, f => Math.Abs(groupOthers + after.TradedValue(f)));
        return null;
    }
}
