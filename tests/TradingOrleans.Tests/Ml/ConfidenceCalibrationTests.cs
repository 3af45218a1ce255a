using System.Text.Json;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>The isotonic map and the reliability table against scikit-learn, ECE by hand, and the strength rule.</summary>
public sealed class ConfidenceCalibrationTests
{
    [Fact]
    public void The_isotonic_fit_equals_scikit_learns_isotonic_regression_on_the_same_calls()
    {
        // Scores with ties (two decimals), outcomes right more often as the score grows, but noisily: many violators to pool.
        var random = new Random(11);
        var scores = Enumerable.Range(0, 2_000).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var outcomes = scores.Select(s => random.NextDouble() < 0.35 + 0.3 * s ? 1.0 : 0.0).ToArray();
        double[] queries = [-0.5, 0, 0.005, 0.123, 0.5, 0.777, 0.999, 1, 1.5];

        var map = IsotonicCalibration.Fit(scores, outcomes);

        var sklearn = Sklearn.Run("""
            import json, sys
            from sklearn.isotonic import IsotonicRegression
            d = json.load(sys.stdin)
            model = IsotonicRegression(out_of_bounds="clip").fit(d["x"], d["y"])
            print(json.dumps({"x": model.X_thresholds_.tolist(), "y": model.y_thresholds_.tolist(),
                              "predicted": model.predict(d["queries"]).tolist(), "fitted": model.predict(d["x"]).tolist()}))
            """, new { x = scores, y = outcomes, queries });
        AssertClose(Doubles(sklearn, "x"), map.Scores);
        AssertClose(Doubles(sklearn, "y"), map.Probabilities);
        AssertClose(Doubles(sklearn, "predicted"), [.. queries.Select(map.Probability)]);
        AssertClose(Doubles(sklearn, "fitted"), [.. scores.Select(map.Probability)]);
        Assert.True(map.Probabilities.Zip(map.Probabilities.Skip(1)).All(p => p.First <= p.Second), "non-decreasing");
    }

    [Fact]
    public void The_reliability_bins_equal_scikit_learns_calibration_curve()
    {
        // Confidences on bin edges included: scikit-learn's first bin is closed, the others hold (lower, upper].
        var random = new Random(5);
        var confidences = Enumerable.Range(0, 1_000).Select(i => i % 50 == 0 ? i % 11 / 10.0 : random.NextDouble()).ToArray();
        var right = confidences.Select(c => random.NextDouble() < c).ToArray();

        var table = ConfidenceCalibration.Reliability(confidences, right);

        var sklearn = Sklearn.Run("""
            import json, sys
            from sklearn.calibration import calibration_curve
            d = json.load(sys.stdin)
            observed, predicted = calibration_curve(d["right"], d["confidences"], n_bins=10, strategy="uniform")
            print(json.dumps({"observed": observed.tolist(), "predicted": predicted.tolist()}))
            """, new { confidences, right = right.Select(r => r ? 1 : 0) });
        AssertClose(Doubles(sklearn, "observed"), [.. table.Bins.Select(b => b.ObservedFrequency)]);
        AssertClose(Doubles(sklearn, "predicted"), [.. table.Bins.Select(b => b.MeanPredicted)]);
        Assert.Equal(confidences.Length, table.Bins.Sum(b => b.Count));
    }

    [Fact]
    public void The_expected_calibration_error_matches_a_hand_worked_example()
    {
        double[] confidences = [0.55, 0.58, 0.52, 0.7, 0.9, 0.95];
        bool[] right = [true, false, true, false, true, true];

        var table = ConfidenceCalibration.Reliability(confidences, right);

        // (0.5, 0.6]: 3 calls, mean 0.55, 2 of 3 right → |0.6667 − 0.55| = 0.1167; (0.6, 0.7]: 0.7, wrong → 0.7;
        // (0.8, 0.9]: 0.9, right → 0.1; (0.9, 1]: 0.95, right → 0.05.
        // ECE = 3/6 × 0.1167 + 1/6 × (0.7 + 0.1 + 0.05) = 0.0583 + 0.1417 = 0.2.
        Assert.Equal([(0.5, 3), (0.6, 1), (0.8, 1), (0.9, 1)], table.Bins.Select(b => (Math.Round(b.Lower, 1), b.Count)));
        Assert.Equal(0.55, table.Bins[0].MeanPredicted, 12);
        Assert.Equal(2.0 / 3, table.Bins[0].ObservedFrequency, 12);
        Assert.Equal(0.2, table.ExpectedCalibrationError, 12);
    }

    [Fact]
    public void A_coin_flip_sizes_zero_and_the_edge_sizes_the_rest()
    {
        Assert.Equal(0, ConfidenceCalibration.Strength(0.5));
        Assert.Equal(0, ConfidenceCalibration.Strength(0.3)); // more often wrong than right: not traded against
        Assert.Equal(0.5, ConfidenceCalibration.Strength(0.75), 12);
        Assert.Equal(1, ConfidenceCalibration.Strength(1));
        Assert.Equal(0.75, ConfidenceCalibration.ImpliedProbability(ConfidenceCalibration.Strength(0.75)), 12);
    }

    private static double[] Doubles(JsonElement result, string name) => [.. result.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"at {i}: scikit-learn {expected[i]:R}, ours {actual[i]:R}");
        }
    }
}
