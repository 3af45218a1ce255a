using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The portfolio's parametric VaR after the order (zero-mean normal, √time) stays within
/// <c>MaxValueAtRiskFraction</c> of equity: the order is scaled to what fits.
/// </summary>
public sealed class ValueAtRiskRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        var budget = order.Limits.MaxValueAtRiskFraction * order.Equity;
        if (budget <= 0 || !order.ReturnsTrusted)
        {
            return null;
        }

        // σ²(f) = w'Σw + 2 f d (Σw)_s + f² d² Σ_ss with w the values before the trade and d its value: O(1) per f.
        var after = order.Portfolio;
        var view = after.View;
        var model = order.Inputs.Model;
        var variance = view.PortfolioVariance;
        var cross = Enumerable.Range(0, view.Symbols.Count).Sum(i => after.Values[i] * view.CovarianceWithTraded[i]);
        var own = view.Variances[after.Traded];
        var trade = after.TradeValue;
        var horizonBars = HorizonBars(model.ValueAtRiskHorizon, view.BarInterval!.Value);
        var z = Normal.InvCDF(0, 1, model.ValueAtRiskConfidence);
        order.LimitShare(RiskRejectionReason.ValueAtRiskLimit, RiskCheck.Invariant($"VaR {model.ValueAtRiskConfidence:P1} over {model.ValueAtRiskHorizon}"), budget,
            f => OfVariance(variance + 2 * f * trade * cross + f * f * trade * trade * own, z, horizonBars));
        return null;
    }

    /// <summary>The portfolio's parametric VaR before any trade (zero-mean normal, √time); 0 until the covariance is trusted.</summary>
    public static double Before(PortfolioRiskView view, RiskOptions model) =>
        view.ReturnObservations >= model.MinimumReturnObservations && view.BarInterval is { } bar
            ? OfVariance(view.PortfolioVariance, Normal.InvCDF(0, 1, model.ValueAtRiskConfidence), HorizonBars(model.ValueAtRiskHorizon, bar))
            : 0;

    /// <summary>Parametric VaR of a per-bar return variance (money²): z × √(variance × bars in the horizon), zero-mean normal.</summary>
    public static double OfVariance(double variance, double z, int horizonBars) => z * Math.Sqrt(Math.Max(variance, 0) * horizonBars);

    /// <summary>Bars in the horizon (at least 1), for the square-root-of-time scaling of per-bar risk.</summary>
    public static int HorizonBars(TimeSpan horizon, TimeSpan barInterval) =>
        Math.Max(1, (int)Math.Round(horizon / barInterval));
}
