namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A non-decreasing map from a raw confidence score to the probability that the call is right: isotonic regression
/// fitted by pool-adjacent-violators, read by linear interpolation between its breakpoints and clipped beyond the
/// first and last — the map scikit-learn's <c>IsotonicRegression(out_of_bounds="clip")</c> predicts with.
/// </summary>
/// <param name="Scores">Breakpoints, strictly increasing.</param>
/// <param name="Probabilities">The fitted value at each breakpoint, non-decreasing.</param>
public sealed record IsotonicCalibration(double[] Scores, double[] Probabilities)
{
    /// <summary>The least-squares non-decreasing fit of <paramref name="outcomes"/> (1 right, 0 wrong) on <paramref name="scores"/>.</summary>
    public static IsotonicCalibration Fit(IReadOnlyList<double> scores, IReadOnlyList<double> outcomes)
    {
        if (scores.Count == 0 || scores.Count != outcomes.Count)
        {
            throw new ArgumentException($"Need as many outcomes as scores, at least one ({scores.Count} scores, {outcomes.Count} outcomes).");
        }

        // Equal scores must map to one value: they become one point with their mean outcome, weighted by their count.
        var points = new List<(double Score, double Sum, double Weight)>();
        foreach (var i in Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]))
        {
            if (points.Count > 0 && points[^1].Score == scores[i])
            {
                points[^1] = (scores[i], points[^1].Sum + outcomes[i], points[^1].Weight + 1);
            }
            else
            {
                points.Add((scores[i], outcomes[i], 1));
            }
        }

        // Pool adjacent violators: merge a block into the one before it while its mean is lower.
        var blocks = new List<(int First, double Sum, double Weight)>();
        for (var j = 0; j < points.Count; j++)
        {
            blocks.Add((j, points[j].Sum, points[j].Weight));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Weight > blocks[^1].Sum / blocks[^1].Weight)
            {
                blocks[^2] = (blocks[^2].First, blocks[^2].Sum + blocks[^1].Sum, blocks[^2].Weight + blocks[^1].Weight);
                blocks.RemoveAt(blocks.Count - 1);
            }
        }

        var fitted = new double[points.Count];
        for (var b = 0; b < blocks.Count; b++)
        {
            var end = b + 1 < blocks.Count ? blocks[b + 1].First : points.Count;
            Array.Fill(fitted, blocks[b].Sum / blocks[b].Weight, blocks[b].First, end - blocks[b].First);
        }

        // Inside a constant run only its ends matter to the interpolation.
        var kept = Enumerable.Range(0, points.Count)
            .Where(j => j == 0 || j == points.Count - 1 || fitted[j] != fitted[j - 1] || fitted[j] != fitted[j + 1])
            .ToArray();
        return new IsotonicCalibration([.. kept.Select(j => points[j].Score)], [.. kept.Select(j => fitted[j])]);
    }

    /// <summary>The calibrated probability at a score.</summary>
    public double Probability(double score)
    {
        if (score <= Scores[0])
        {
            return Probabilities[0];
        }

        if (score >= Scores[^1])
        {
            return Probabilities[^1];
        }

        var index = Array.BinarySearch(Scores, score);
        if (index >= 0)
        {
            return Probabilities[index];
        }

        var upper = ~index;
        var lower = upper - 1;
        var slope = (Probabilities[upper] - Probabilities[lower]) / (Scores[upper] - Scores[lower]);
        return Probabilities[lower] + slope * (score - Scores[lower]);
    }
}
