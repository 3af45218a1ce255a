using System.Globalization;
using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>
/// Portfolio-wide limits on a sized order: gross and net exposure, the net exposure of the group of symbols highly
/// correlated with the traded one, and the parametric VaR (zero-mean normal, √time) of the portfolio as it would
/// be after the trade.
/// </summary>
/// <remarks>
/// Each measure is a convex function of the filled share f ∈ [0, 1] of the order, so the largest f that keeps it
/// within its limit (or no worse than before the trade, when the portfolio is already over it) is found by
/// bisection. The order is scaled to the smallest such f over all limits, rounded down to the instrument's lot.
/// </remarks>
public static class PortfolioLimits
{
    private const int BisectionSteps = 40;

    /// <summary>The checked order: its (possibly scaled) quantity with notes, or a rejection with its reason.</summary>
    public sealed record Outcome(decimal Quantity, IReadOnlyList<string> Notes, RiskRejectionReason Rejection, string? RejectionNote);

    public static Outcome Check(OrderIntent intent, PortfolioRiskView view, RiskLimits limits, InstrumentRules instrument, RiskOptions options)
    {
        var n = view.Symbols.Count;
        var traded = IndexOf(view, intent.Symbol);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var price = i == traded ? intent.ReferencePrice : view.Prices[i];
            values[i] = (double)(view.Quantities[i] * price);
        }

        var tradeValue = (double)(intent.Quantity * intent.ReferencePrice) * (intent.Side == OrderSide.Buy ? 1 : -1);

        // Only the traded symbol's value moves with the filled share f, so every measure is a closed form in f.
        var others = values.Where((_, i) => i != traded).ToArray();
        double Traded(double share) => values[traded] + share * tradeValue;

        var notes = new List<string>();
        var share = 1.0;
        var binding = RiskRejectionReason.None;
        void Apply(RiskRejectionReason reason, string name, decimal limit, Func<double, double> measure)
        {
            if (limit <= 0)
            {
                return;
            }

            var allowed = Math.Max((double)limit, measure(0));
            var fits = LargestShare(f => measure(f) <= allowed * (1 + 1e-12));
            if (fits < share)
            {
                share = fits;
                binding = reason;
            }

            notes.Add(Invariant($"{name} after the order {measure(fits):0.##} (limit {limit:0.##}){(fits < 1 ? $": order scaled to {fits:P1}" : "")}"));
        }

        var grossOthers = others.Sum(Math.Abs);
        var netOthers = others.Sum();
        Apply(RiskRejectionReason.GrossExposureLimit, "gross exposure", limits.MaxGrossExposure, f => grossOthers + Math.Abs(Traded(f)));
        Apply(RiskRejectionReason.NetExposureLimit, "net exposure", limits.MaxNetExposure, f => Math.Abs(netOthers + Traded(f)));

        var trusted = view.ReturnObservations >= options.MinimumReturnObservations && view.BarInterval is not null;
        if (trusted)
        {
            var group = Enumerable.Range(0, n).Where(i => i == traded || Correlation(view, i, traded) >= options.CorrelationThreshold).ToArray();
            var names = string.Join("+", group.Select(i => view.Symbols[i]));
            var groupOthers = group.Where(i => i != traded).Sum(i => values[i]);
            Apply(RiskRejectionReason.CorrelatedExposureLimit, $"correlated exposure ({names}, ρ ≥ {options.CorrelationThreshold})",
                limits.MaxCorrelatedExposure, f => Math.Abs(groupOthers + Traded(f)));

            // σ²(f) = w'Σw + 2 f d (Σw)_s + f² d² Σ_ss with w the values before the trade and d its value: O(1) per f.
            var variance = view.PortfolioVariance;
            var cross = Enumerable.Range(0, n).Sum(i => values[i] * view.CovarianceWithTraded[i]);
            var own = view.Variances[traded];
            var horizonBars = HorizonBars(options.ValueAtRiskHorizon, view.BarInterval!.Value);
            var z = Normal.InvCDF(0, 1, options.ValueAtRiskConfidence);
            Apply(RiskRejectionReason.ValueAtRiskLimit, Invariant($"VaR {options.ValueAtRiskConfidence:P1} over {options.ValueAtRiskHorizon}"),
                limits.MaxValueAtRiskFraction * view.Exposure.Equity,
                f => z * Math.Sqrt(Math.Max(variance + 2 * f * tradeValue * cross + f * f * tradeValue * tradeValue * own, 0) * horizonBars));
        }
        else if (limits.MaxValueAtRiskFraction > 0 || limits.MaxCorrelatedExposure > 0)
        {
            notes.Add($"VaR and correlation not checked yet: {view.ReturnObservations} of {options.MinimumReturnObservations} return bars");
        }

        var quantity = share >= 1 ? intent.Quantity : instrument.RoundDown(intent.Quantity * (decimal)share);
        if (quantity <= 0 || quantity * intent.ReferencePrice < limits.MinOrderNotional)
        {
            return new Outcome(0, notes, binding, Invariant($"{string.Join("; ", notes)}; what is left ({quantity} × {intent.ReferencePrice}) is below the minimum order {limits.MinOrderNotional}"));
        }

        return new Outcome(quantity, notes, RiskRejectionReason.None, null);
    }

    /// <summary>The portfolio's parametric VaR before any trade (zero-mean normal, √time); 0 until the covariance is trusted.</summary>
    public static double ParametricValueAtRisk(PortfolioRiskView view, RiskOptions options) =>
        view.ReturnObservations >= options.MinimumReturnObservations && view.BarInterval is { } bar
            ? Normal.InvCDF(0, 1, options.ValueAtRiskConfidence)
                * Math.Sqrt(Math.Max(view.PortfolioVariance, 0) * HorizonBars(options.ValueAtRiskHorizon, bar))
            : 0;

    /// <summary>Bars in the horizon (at least 1), for the square-root-of-time scaling of per-bar risk.</summary>
    public static int HorizonBars(TimeSpan horizon, TimeSpan barInterval) =>
        Math.Max(1, (int)Math.Round(horizon / barInterval));

    private static int IndexOf(PortfolioRiskView view, string symbol)
    {
        for (var i = 0; i < view.Symbols.Count; i++)
        {
            if (view.Symbols[i] == symbol)
            {
                return i;
            }
        }

        throw new ArgumentException($"The risk view has no {symbol}.", nameof(view));
    }

    private static double Correlation(PortfolioRiskView view, int i, int traded)
    {
        var scale = Math.Sqrt(view.Variances[i] * view.Variances[traded]);
        return scale > 0 ? view.CovarianceWithTraded[i] / scale : 0;
    }

    /// <summary>The largest f in [0, 1] that fits, given that f = 0 fits and the fitting set is an interval.</summary>
    private static double LargestShare(Func<double, bool> fits)
    {
        if (fits(1))
        {
            return 1;
        }

        double low = 0, high = 1;
        for (var step = 0; step < BisectionSteps; step++)
        {
            var middle = (low + high) / 2;
            (low, high) = fits(middle) ? (middle, high) : (low, middle);
        }

        return low;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
