using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Grains.Ml;

/// <summary>A model's call at a bar: its direction (−1, 0, 1) and its raw confidence score (larger = surer).</summary>
public readonly record struct DirectionalCall(int Direction, double Score);

/// <summary>Bars <c>From</c> to <c>To</c> (exclusive; the judged returns lie before <c>To</c>) and the model's call at each.</summary>
/// <param name="Call">Called once per bar in increasing order, so a policy that keeps state (the DQN's position) can be walked.</param>
public sealed record CallPeriod(int From, int To, Func<int, DirectionalCall> Call);

/// <summary>A model's calibration as its file stores it: the map from score to probability of being right, and how it did.</summary>
public sealed record ModelCalibration(IsotonicCalibration Map, CalibrationReport Report)
{
    /// <summary>
    /// Share of the judged calls on the held-out test period that were wrong (the calibrated table's bins, weighted by
    /// their counts); null when none was judged. The figure a served model's live error is compared with.
    /// </summary>
    public double? HeldOutErrorRate
    {
        get
        {
            var bins = Report.Calibrated.Bins;
            var calls = bins.Sum(b => b.Count);
            return calls > 0 ? 1 - bins.Sum(b => b.Count * b.ObservedFrequency) / calls : null;
        }
    }
}

/// <summary>
/// Calibrates a model's confidence: its calls on the validation fold, judged right or wrong over the model's
/// horizon, fit an isotonic map from raw score to probability of being right; the reliability of the uncalibrated
/// and the calibrated confidence is then measured on the walk-forward test period, which neither training nor the
/// fit saw.
/// </summary>
public static class ConfidenceCalibration
{
    public const string Method = "isotonic";

    public const int ReliabilityBins = 10;

    /// <summary>
    /// The aggregator's strength for a probability p of being right: the edge 2p − 1 (the Kelly fraction of an even
    /// bet), so a coin flip sizes zero and a call more often wrong than right is not traded against.
    /// </summary>
    public static double Strength(double probability) => Math.Max(0, 2 * probability - 1);

    /// <summary>The probability of being right that a strength claims under <see cref="Strength"/>: (1 + s) / 2.</summary>
    public static double ImpliedProbability(double strength) => (1 + strength) / 2;

    /// <summary>
    /// The calls over a period that can be judged: those with a direction, at bars with <paramref name="horizon"/>
    /// bars after them before the period's end and a non-zero realised return over them; right when that return has
    /// the call's sign.
    /// </summary>
    public static List<(double Score, bool Right)> Outcomes(CandleSeries series, int horizon, CallPeriod period)
    {
        var outcomes = new List<(double, bool)>();
        for (var t = period.From; t <= LastJudged(series, horizon, period); t++)
        {
            var call = period.Call(t);
            var realised = series.ReturnsAfter(t, horizon).Sum();
            if (call.Direction != 0 && realised != 0)
            {
                outcomes.Add((call.Score, Math.Sign(realised) == call.Direction));
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Fits the map on <paramref name="validation"/> and reports on <paramref name="heldOut"/>.
    /// </summary>
    /// <param name="right">What "right" means for the model, in words, for the report.</param>
    /// <param name="uncalibratedStrength">The strength a score gives without calibration: the "before" of the report.</param>
    public static ModelCalibration Fit(
        CandleSeries series, int horizon, string right, Func<double, double> uncalibratedStrength, CallPeriod validation, CallPeriod heldOut)
    {
        var fitted = Outcomes(series, horizon, validation);
        if (fitted.Count == 0)
        {
            throw new ArgumentException("The validation fold has no call to calibrate on.");
        }

        var map = IsotonicCalibration.Fit([.. fitted.Select(o => o.Score)], [.. fitted.Select(o => o.Right ? 1.0 : 0.0)]);
        var judged = Outcomes(series, horizon, heldOut);
        var rights = judged.Select(o => o.Right).ToArray();
        return new ModelCalibration(map, new CalibrationReport(
            Method, right, horizon,
            series.Times[validation.From], series.Times[LastJudged(series, horizon, validation)], fitted.Count,
            series.Times[heldOut.From], series.Times[LastJudged(series, horizon, heldOut)], judged.Count,
            Reliability([.. judged.Select(o => ImpliedProbability(uncalibratedStrength(o.Score)))], rights),
            Reliability([.. judged.Select(o => map.Probability(o.Score))], rights)));
    }

    /// <summary>
    /// The reliability table over <paramref name="bins"/> equal-width bins of [0, 1] and its expected calibration
    /// error. Binned as scikit-learn's <c>calibration_curve(strategy="uniform")</c> does: the first bin is closed,
    /// the others hold (lower, upper].
    /// </summary>
    public static Reliability Reliability(IReadOnlyList<double> confidences, IReadOnlyList<bool> right, int bins = ReliabilityBins)
    {
        var count = new int[bins];
        var predicted = new double[bins];
        var observed = new double[bins];
        for (var i = 0; i < confidences.Count; i++)
        {
            var bin = 0;
            while (bin < bins - 1 && confidences[i] > Edge(bin + 1, bins))
            {
                bin++;
            }

            count[bin]++;
            predicted[bin] += confidences[i];
            observed[bin] += right[i] ? 1 : 0;
        }

        var table = Enumerable.Range(0, bins).Where(b => count[b] > 0)
            .Select(b => new ReliabilityBin(Label(b, bins), Label(b + 1, bins), predicted[b] / count[b], observed[b] / count[b], count[b]))
            .ToList();
        var error = table.Sum(b => (double)b.Count / confidences.Count * Math.Abs(b.ObservedFrequency - b.MeanPredicted));
        return new Reliability(error, table);
    }

    // numpy.linspace's edges (i × step), so a confidence on an edge falls in the same bin as in scikit-learn.
    private static double Edge(int i, int bins) => i == bins ? 1.0 : i * (1.0 / bins);

    // An edge as shown (0.6, not 0.6000000000000001).
    private static double Label(int i, int bins) => Math.Round(Edge(i, bins), 10);

    private static int LastJudged(CandleSeries series, int horizon, CallPeriod period) => Math.Min(period.To, series.Count) - 1 - horizon;
}
