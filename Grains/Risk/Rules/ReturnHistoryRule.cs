namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The correlation and VaR limits wait for <c>MinimumReturnObservations</c> return bars: until then the covariance is
/// not trusted, and the explanation says so rather than pass the order silently.
/// </summary>
public sealed class ReturnHistoryRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        if (!order.ReturnsTrusted && (order.Limits.MaxValueAtRiskFraction > 0 || order.Limits.MaxCorrelatedExposure > 0))
        {
            order.PortfolioNotes.Add($"VaR and correlation not checked yet: {order.Inputs.View.ReturnObservations} of {order.Inputs.Model.MinimumReturnObservations} return bars");
        }

        return null;
    }
}
