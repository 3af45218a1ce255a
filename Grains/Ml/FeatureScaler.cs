namespace TradingOrleans.Grains.Ml;

/// <summary>
/// Standardises features with the mean and standard deviation of the training rows it was fitted on, and only
/// those: validation, test and live rows are transformed with the training statistics, so nothing of the future
/// leaks into a model. A feature that did not vary in training is centred only.
/// </summary>
public sealed record FeatureScaler(IReadOnlyList<string> Names, IReadOnlyList<double> Means, IReadOnlyList<double> Deviations)
{
    public static FeatureScaler Fit(IReadOnlyList<string> names, IReadOnlyList<double[]> trainingRows)
    {
        if (trainingRows.Count < 2)
        {
            throw new ArgumentException("Fitting needs at least two training rows.", nameof(trainingRows));
        }

        var means = Enumerable.Range(0, names.Count).Select(j => trainingRows.Average(row => row[j])).ToArray();
        var deviations = Enumerable.Range(0, names.Count)
            .Select(j => Math.Sqrt(trainingRows.Sum(row => (row[j] - means[j]) * (row[j] - means[j])) / (trainingRows.Count - 1)))
            .ToArray();
        return new FeatureScaler(names, means, deviations);
    }

    /// <summary>A scaler that leaves values as they are (models that need none still record their feature schema).</summary>
    public static FeatureScaler Identity(IReadOnlyList<string> names) => new(names, [.. names.Select(_ => 0.0)], [.. names.Select(_ => 1.0)]);

    public double[] Transform(IReadOnlyList<double> row)
    {
        var scaled = new double[Means.Count];
        for (var j = 0; j < scaled.Length; j++)
        {
            scaled[j] = Deviations[j] > 0 ? (row[j] - Means[j]) / Deviations[j] : row[j] - Means[j];
        }

        return scaled;
    }
}
