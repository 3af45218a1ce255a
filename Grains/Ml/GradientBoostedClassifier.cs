using Microsoft.ML;
using Microsoft.ML.Data;

namespace TradingOrleans.Grains.Ml;

/// <summary>Hyper-parameters of the ML.NET FastTree baseline (saved with every model).</summary>
/// <param name="Margin">Distance of the probability from ½ needed to hold a position (trading and serving).</param>
public sealed record GradientBoostedOptions(
    int Trees = 100,
    int Leaves = 20,
    int MinimumExamplesPerLeaf = 50,
    double LearningRate = 0.1,
    double Margin = 0.05,
    int Seed = 7);

/// <summary>
/// The ML.NET baseline: a FastTree (gradient-boosted trees) binary classifier of "the next five bars' log return is
/// positive", on the same candle features as the other models (raw: trees need no scaling). ML.NET's own metrics
/// (accuracy, AUC, F1, log-loss) describe it on held-out bars; as a signal it goes long above ½ + margin, short
/// below ½ − margin. A prediction engine is not thread-safe: each instance serves one strategy.
/// </summary>
public sealed class GradientBoostedClassifier
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;
    private readonly PredictionEngine<FeatureRow, Prediction> _engine;
    private readonly FeatureRow _row = new();

    private GradientBoostedClassifier(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        (_ml, _model, _schema) = (ml, model, schema);
        _engine = ml.Model.CreatePredictionEngine<FeatureRow, Prediction>(model, schema);
    }

    /// <summary>Trains on the bars from <paramref name="from"/> to <paramref name="to"/> whose five-bar label lies before <paramref name="to"/>.</summary>
    public static GradientBoostedClassifier Train(CandleSeries series, int from, int to, GradientBoostedOptions options)
    {
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(Rows(series, from, to));
        var trainer = ml.BinaryClassification.Trainers.FastTree(
            numberOfLeaves: options.Leaves, numberOfTrees: options.Trees, minimumExampleCountPerLeaf: options.MinimumExamplesPerLeaf,
            learningRate: options.LearningRate);
        return new GradientBoostedClassifier(ml, trainer.Fit(data), data.Schema);
    }

    /// <summary>A model from the bytes <see cref="Save"/> wrote.</summary>
    public static GradientBoostedClassifier Load(byte[] saved)
    {
        var ml = new MLContext();
        using var stream = new MemoryStream(saved);
        var model = ml.Model.Load(stream, out var schema);
        return new GradientBoostedClassifier(ml, model, schema);
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(_model, _schema, stream);
        return stream.ToArray();
    }

    /// <summary>The probability that the next five bars' log return is positive, from one bar's raw features.</summary>
    public double Probability(IReadOnlyList<double> rawFeatures)
    {
        for (var j = 0; j < _row.Features.Length; j++)
        {
            _row.Features[j] = (float)rawFeatures[j];
        }

        return _engine.Predict(_row).Probability;
    }

    /// <summary>ML.NET's binary-classification metrics on bars from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyDictionary<string, double> Metrics(CandleSeries series, int from, int to)
    {
        var metrics = _ml.BinaryClassification.Evaluate(_model.Transform(_ml.Data.LoadFromEnumerable(Rows(series, from, to))));
        return new Dictionary<string, double>
        {
            ["accuracy"] = metrics.Accuracy,
            ["auc"] = metrics.AreaUnderRocCurve,
            ["f1"] = metrics.F1Score,
            ["logLoss"] = metrics.LogLoss,
            // Relative to always predicting the base rate: below 0 means the probabilities are worse than that.
            ["logLossReduction"] = metrics.LogLossReduction,
        };
    }

    /// <summary>When a probability's call counts as right, for its calibration.</summary>
    public const string RightMeans = "the realised log return over the next 5 bars is up when P(up) > ½, down when below";

    /// <summary>The call a probability makes: the side of ½ it is on, with its distance from ½ as the confidence score.</summary>
    public static DirectionalCall Call(double probability) => new(Math.Sign(probability - 0.5), Math.Abs(probability - 0.5));

    /// <summary>Strength without calibration: min(1, |p − ½| / (2 × margin)), 1 at a zero margin.</summary>
    public static double UncalibratedStrength(double score, double margin) => margin > 0 ? Math.Min(1, score / (2 * margin)) : 1;

    /// <summary>The position the classifier asks for at a probability.</summary>
    public static int Position(double probability, double margin) => probability > 0.5 + margin ? 1 : probability < 0.5 - margin ? -1 : 0;

    /// <summary>Labelled rows: features at t, label = the sum of the next five log returns is positive.</summary>
    public static IEnumerable<FeatureRow> Rows(CandleSeries series, int from, int to)
    {
        for (var t = Math.Max(from, series.FirstReady); t < Math.Min(to, series.Count) - LstmForecaster.Horizon; t++)
        {
            yield return new FeatureRow
            {
                Features = [.. series.Rows[t]!.Select(v => (float)v)],
                Label = series.ReturnsAfter(t, LstmForecaster.Horizon).Sum() > 0,
            };
        }
    }

    /// <summary>ML.NET's input row.</summary>
    public sealed class FeatureRow
    {
        [VectorType(7)]
        public float[] Features { get; set; } = new float[CandleFeatures.Names.Count];

        public bool Label { get; set; }
    }

    /// <summary>ML.NET's output row.</summary>
    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }

        public float Score { get; set; }
    }
}
