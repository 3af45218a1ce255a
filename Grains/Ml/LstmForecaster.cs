namespace TradingOrleans.Grains.Ml;

/// <summary>Hyper-parameters of the LSTM forecaster (saved with every model).</summary>
/// <param name="SequenceLength">Bars of features the network reads before forecasting.</param>
/// <param name="Patience">Epochs without a better validation loss before training stops (early stopping).</param>
/// <param name="ValidationShare">The last share of the training period held out, in time order, for early stopping.</param>
public sealed record LstmOptions(
    int SequenceLength = 24,
    int Hidden = 16,
    int Layers = 1,
    int MaxEpochs = 30,
    int Patience = 4,
    double LearningRate = 1e-3,
    int BatchSize = 32,
    double ValidationShare = 0.2,
    int Seed = 7)
{
    /// <summary>The options as a model file records them.</summary>
    public Dictionary<string, double> ToHyperParameters() => new()
    {
        ["sequenceLength"] = SequenceLength, ["hidden"] = Hidden, ["layers"] = Layers, ["maxEpochs"] = MaxEpochs, ["patience"] = Patience,
        ["learningRate"] = LearningRate, ["batchSize"] = BatchSize, ["validationShare"] = ValidationShare, ["seed"] = Seed,
    };

    /// <summary>The network's shape from a model file: what restoring its parameters needs.</summary>
    public static LstmOptions FromHyperParameters(IReadOnlyDictionary<string, double> h) =>
        new(SequenceLength: (int)h["sequenceLength"], Hidden: (int)h["hidden"], Layers: (int)h["layers"], Seed: (int)h["seed"]);
}

/// <summary>One training epoch: mean losses (half MSE on scaled targets) on the training and validation samples.</summary>
public sealed record EpochReport(int Epoch, double TrainingLoss, double ValidationLoss, bool Improved);

/// <summary>
/// Forecasts the next <see cref="Horizon"/> one-bar log returns from the last <see cref="LstmOptions.SequenceLength"/>
/// bars of features, with a <see cref="LstmNetwork"/>. Features are standardised with statistics of the training
/// period only; targets are divided by the training returns' standard deviation so the network sees values near 1.
/// </summary>
public sealed class LstmForecaster
{
    public const int Horizon = 5;

    /// <summary>When a forecast counts as right, for its calibration.</summary>
    public const string RightMeans = "the realised log return over the next 5 bars has the sign of the 5-bar forecast";

    private LstmForecaster(LstmNetwork network, FeatureScaler scaler, double targetScale, LstmOptions options)
    {
        Network = network;
        Scaler = scaler;
        TargetScale = targetScale;
        Options = options;
    }

    public LstmNetwork Network { get; }

    public FeatureScaler Scaler { get; }

    /// <summary>Standard deviation of one-bar log returns in training: forecasts are network outputs times this.</summary>
    public double TargetScale { get; }

    public LstmOptions Options { get; }

    /// <summary>
    /// Trains on every bar of <paramref name="series"/> from <paramref name="from"/> up to (not including)
    /// <paramref name="to"/> whose five labels also lie before <paramref name="to"/>: mini-batch Adam, the last
    /// <see cref="LstmOptions.ValidationShare"/> of those samples held out, the best validation epoch kept.
    /// </summary>
    public static (LstmForecaster Model, IReadOnlyList<EpochReport> History) Train(
        CandleSeries series, int from, int to, LstmOptions options, Action<EpochReport>? progress = null)
    {
        var (training, validation) = Samples(series, from, to, options);
        var first = training[0];
        var trainingRows = Enumerable.Range(Math.Max(from, series.FirstReady), to - Math.Max(from, series.FirstReady)).Select(t => series.Rows[t]!).ToArray();
        var scaler = FeatureScaler.Fit(CandleFeatures.Names, trainingRows);
        var returns = Enumerable.Range(Math.Max(from, 1), to - Math.Max(from, 1)).Select(series.Return).ToArray();
        var mean = returns.Average();
        var targetScale = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1));

        var network = new LstmNetwork(CandleFeatures.Names.Count, options.Hidden, options.Layers, Horizon, options.Seed);
        var model = new LstmForecaster(network, scaler, targetScale, options);
        var scaled = model.ScaleRows(series, first - options.SequenceLength + 1, to);

        var optimizer = new AdamOptimizer(network.Parameters.Length, options.LearningRate);
        var gradient = new double[network.Parameters.Length];
        var best = (double[])network.Parameters.Clone();
        var bestLoss = double.PositiveInfinity;
        var random = new Random(options.Seed);
        var history = new List<EpochReport>();
        var sinceBest = 0;
        for (var epoch = 1; epoch <= options.MaxEpochs && sinceBest < options.Patience; epoch++)
        {
            random.Shuffle(training);
            var trainingLoss = 0.0;
            for (var start = 0; start < training.Length; start += options.BatchSize)
            {
                Array.Clear(gradient);
                var end = Math.Min(start + options.BatchSize, training.Length);
                for (var s = start; s < end; s++)
                {
                    trainingLoss += network.LossAndGradient(scaled.Window(training[s]), model.Target(series, training[s]), gradient);
                }

                var batch = end - start;
                for (var p = 0; p < gradient.Length; p++)
                {
                    gradient[p] /= batch;
                }

                optimizer.Step(network.Parameters, gradient);
            }

            var scratch = new double[gradient.Length];
            var validationLoss = validation.Average(t => network.LossAndGradient(scaled.Window(t), model.Target(series, t), scratch));
            var improved = validationLoss < bestLoss;
            if (improved)
            {
                bestLoss = validationLoss;
                Array.Copy(network.Parameters, best, best.Length);
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }

            var report = new EpochReport(epoch, trainingLoss / training.Length, validationLoss, improved);
            history.Add(report);
            progress?.Invoke(report);
        }

        Array.Copy(best, network.Parameters, best.Length);
        return (model, history);
    }

    /// <summary>
    /// The bars <see cref="Train"/> learns from and, after them in time, the last <see cref="LstmOptions.ValidationShare"/>
    /// it validates on (early stopping, then calibration): every bar with a full window before it and its five labels before <paramref name="to"/>.
    /// </summary>
    public static (int[] Training, int[] Validation) Samples(CandleSeries series, int from, int to, LstmOptions options)
    {
        var first = Math.Max(from, series.FirstReady + options.SequenceLength - 1);
        var last = to - 1 - Horizon;
        if (last - first < 100)
        {
            throw new ArgumentException($"Too few bars to train on: {Math.Max(0, last - first + 1)} samples (need 100).");
        }

        var samples = Enumerable.Range(first, last - first + 1).ToArray();
        var validationCount = Math.Max(1, (int)(samples.Length * options.ValidationShare));
        return (samples[..^validationCount], samples[^validationCount..]);
    }

    /// <summary>A model from its saved parts.</summary>
    public static LstmForecaster Restore(LstmOptions options, FeatureScaler scaler, double targetScale, IReadOnlyList<double> parameters)
    {
        var network = new LstmNetwork(CandleFeatures.Names.Count, options.Hidden, options.Layers, Horizon, options.Seed);
        if (parameters.Count != network.Parameters.Length)
        {
            throw new InvalidDataException($"The model has {parameters.Count} parameters; this shape needs {network.Parameters.Length}.");
        }

        for (var p = 0; p < parameters.Count; p++)
        {
            network.Parameters[p] = parameters[p];
        }

        return new LstmForecaster(network, scaler, targetScale, options);
    }

    /// <summary>The next five one-bar log returns, from the last <see cref="LstmOptions.SequenceLength"/> scaled feature rows (oldest first).</summary>
    public double[] Forecast(IReadOnlyList<double[]> scaledWindow)
    {
        var output = Network.Predict(scaledWindow);
        for (var k = 0; k < output.Length; k++)
        {
            output[k] *= TargetScale;
        }

        return output;
    }

    /// <summary>The call a five-bar forecast makes: its sign, with its size as the confidence score.</summary>
    public static DirectionalCall Call(double forecast) => new(Math.Sign(forecast), Math.Abs(forecast));

    /// <summary>Strength without calibration: min(1, |forecast| / (2 × threshold)), 1 at a zero threshold.</summary>
    public static double UncalibratedStrength(double score, double threshold) => threshold > 0 ? Math.Min(1, score / (2 * threshold)) : 1;

    /// <summary>Scaled feature rows of bars <paramref name="from"/> to <paramref name="to"/> (exclusive), addressable by bar index.</summary>
    public ScaledRows ScaleRows(CandleSeries series, int from, int to)
    {
        var rows = new double[to - from][];
        for (var t = from; t < to; t++)
        {
            rows[t - from] = Scaler.Transform(series.Rows[t] ?? throw new ArgumentException($"Bar {t} has no features yet."));
        }

        return new ScaledRows(rows, from, Options.SequenceLength);
    }

    private double[] Target(CandleSeries series, int t)
    {
        var target = series.ReturnsAfter(t, Horizon);
        for (var k = 0; k < target.Length; k++)
        {
            target[k] /= TargetScale;
        }

        return target;
    }

    /// <summary>Scaled rows from bar <c>Offset</c> on; <see cref="Window"/> is the sequence ending at a bar, without copying.</summary>
    public sealed class ScaledRows(double[][] rows, int offset, int sequenceLength)
    {
        public ArraySegment<double[]> Window(int t) => new(rows, t - offset - sequenceLength + 1, sequenceLength);
    }
}
