using System.Globalization;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// <c>train lstm|dqn|mlnet --symbol BTCUSDT [--from 2021-01-01] [--to 2021-04-01] [--test-to …] [--data …] [--models models]
/// [--seed 7] [--fee-bps 10] …</c>: trains on the bars from <c>--from</c> to <c>--to</c> of the symbol's kline file,
/// evaluates walk-forward on the bars from <c>--to</c> to <c>--test-to</c> (never seen in training, nothing tuned
/// on them), calibrates the model's confidence on the last fifth of the training period (its validation fold) and
/// measures that calibration on the test bars, prints progress, the evaluation against the naive baselines and the
/// calibration, and saves the next version.
/// </summary>
public static class TrainingCommand
{
    public const string Name = "train";

    public const string Usage =
        "usage: train lstm|dqn|mlnet --symbol BTCUSDT [--from 2021-01-01] [--to 2021-04-01] [--test-to 2021-05-14] [--data data/binance-usdt-2021-5m] " +
        "[--models models] [--seed 7] [--fee-bps 10]; lstm: [--epochs 30] [--hidden 16] [--layers 1] [--sequence 24] [--threshold-bps 20]; " +
        "dqn: [--episodes 8] [--hidden 32] [--gamma 0.9]; mlnet: [--trees 100] [--leaves 20] [--min-leaf 50] [--learning-rate 0.1] [--margin 0.05]";

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 1 || args[0] is not ("lstm" or "dqn" or "mlnet") || args.Length % 2 == 0)
        {
            output.WriteLine(Usage);
            return 2;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        try
        {
            var run = new TrainingRun(options);
            var saved = args[0] switch
            {
                "lstm" => run.TrainLstm(output),
                "dqn" => run.TrainDqn(output),
                _ => run.TrainMlNet(output),
            };
            output.WriteLine();
            output.WriteLine(Describe(saved.Evaluation!));
            output.WriteLine(Describe(saved.Calibration!.Report));
            output.WriteLine($"saved {Path.Combine(run.Store.Directory, saved.Name)}.json");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }
    }

    /// <summary>The evaluation as a small table beside its baselines.</summary>
    public static string Describe(ModelEvaluation e) => string.Join(Environment.NewLine, new[]
    {
        FormattableString.Invariant($"walk-forward test {e.From:u} to {e.To:u}, {e.Samples} bars, fee {e.FeeBps} bps{(e.Mse is null ? "" : $", threshold {e.ThresholdBps} bps")}"),
        FormattableString.Invariant($"  directional accuracy  model {e.DirectionalAccuracy:P2}   last return {e.LastValueDirectionalAccuracy:P2}"),
        e.Mse is null ? null : FormattableString.Invariant($"  MSE (×1e6)            model {e.Mse * 1e6:F4}   zero {e.ZeroForecastMse * 1e6:F4}   last value {e.LastValueMse * 1e6:F4}"),
        FormattableString.Invariant($"  net log return        model {e.NetReturn:P2} ({e.Trades} position changes)   buy-and-hold {e.BuyAndHoldReturn:P2}   random (same changes) {e.RandomPolicyReturn:P2}"),
        $"  verdict: {e.Verdict}",
    }.OfType<string>());

    /// <summary>The calibration's expected calibration error before and after, and the calibrated reliability table.</summary>
    public static string Describe(CalibrationReport c) => string.Join(Environment.NewLine, new[]
    {
        FormattableString.Invariant($"calibration ({c.Method}) fitted on {c.FittedCalls} validation calls {c.FittedFrom:u} to {c.FittedTo:u}; right = {c.Right}"),
        FormattableString.Invariant($"  on {c.HeldOutCalls} test calls: expected calibration error uncalibrated {c.Uncalibrated.ExpectedCalibrationError:F4}, calibrated {c.Calibrated.ExpectedCalibrationError:F4}"),
    }.Concat(c.Calibrated.Bins.Select(b => FormattableString.Invariant(
        $"  calibrated ({b.Lower:F1}, {b.Upper:F1}]  mean predicted {b.MeanPredicted:F4}  observed {b.ObservedFrequency:F4}  calls {b.Count}"))));

    /// <summary>The parsed options, the symbol's bars and the periods one training run uses.</summary>
    private sealed class TrainingRun
    {
        /// <summary>The last share of the training period, in time order, that validates (model choice, calibration) and is not learned from.</summary>
        private const double ValidationShare = 0.2;

        private readonly Dictionary<string, string> _options;
        private readonly string _symbol;
        private readonly CandleSeries _series;
        private readonly int _from;
        private readonly int _to;
        private readonly int _testTo;

        public TrainingRun(Dictionary<string, string> options)
        {
            _options = options;
            _symbol = options.TryGetValue("symbol", out var s) ? s.ToUpperInvariant() : throw new ArgumentException("--symbol is required");
            var folderName = Text("data", "data/binance-usdt-2021-5m");
            var folder = PathResolver.FindExisting(folderName) ?? throw new DirectoryNotFoundException($"No folder {folderName}");
            var file = CandleCsvReader.FindFile(folder, _symbol) ?? throw new FileNotFoundException($"No kline file for {_symbol} in {folder}");
            _series = CandleSeries.From([.. CandleCsvReader.Read(file, TimeSpan.FromMinutes(5), (_, _) => { })]);
            _from = _series.IndexAt(Date("from") ?? _series.Times[0]);
            _to = _series.IndexAt(Date("to") ?? new DateTimeOffset(2021, 4, 1, 0, 0, 0, TimeSpan.Zero));
            _testTo = _series.IndexAt(Date("test-to") ?? DateTimeOffset.MaxValue);
            if (_to >= _testTo || _from >= _to)
            {
                throw new ArgumentException("Need --from < --to < --test-to within the data.");
            }

            Store = new ModelStore(ModelStore.Resolve(Text("models", "models")));
        }

        public ModelStore Store { get; }

        private int Seed => Whole("seed", 7);

        private double FeeBps => Number("fee-bps", 10);

        public ModelFile TrainLstm(TextWriter output)
        {
            var lstm = new LstmOptions(
                SequenceLength: Whole("sequence", 24), Hidden: Whole("hidden", 16), Layers: Whole("layers", 1), MaxEpochs: Whole("epochs", 30), Seed: Seed);
            Announce("lstm", lstm.ToString(), output);
            var (model, history) = LstmForecaster.Train(_series, _from, _to, lstm, epoch =>
                output.WriteLine(FormattableString.Invariant($"epoch {epoch.Epoch,3}/{lstm.MaxEpochs}  training loss {epoch.TrainingLoss:F5}  validation loss {epoch.ValidationLoss:F5}{(epoch.Improved ? "  *best" : "")}")));

            var validationFrom = LstmForecaster.Samples(_series, _from, _to, lstm).Validation[0];
            var scaled = model.ScaleRows(_series, validationFrom - lstm.SequenceLength + 1, _testTo);
            var thresholdBps = Number("threshold-bps", 20);
            var evaluation = ForecastEvaluation.Evaluate(_series, _to, _testTo, t => model.Forecast(scaled.Window(t)), FeeBps, thresholdBps, Seed);
            DirectionalCall Call(int t) => LstmForecaster.Call(model.Forecast(scaled.Window(t)).Sum());
            var calibration = ConfidenceCalibration.Fit(_series, LstmForecaster.Horizon, LstmForecaster.RightMeans,
                score => LstmForecaster.UncalibratedStrength(score, thresholdBps / 10_000),
                new CallPeriod(validationFrom, _to, Call), new CallPeriod(_to, _testTo, Call));
            return Store.Save(new ModelFile(
                "lstm", _symbol, 0, DateTimeOffset.UtcNow, model.Scaler,
                lstm.ToHyperParameters(),
                _series.Times[_from], _series.Times[_to - 1], evaluation, history, model.TargetScale, model.Network.Parameters,
                Calibration: calibration));
        }

        /// <summary>
        /// The DQN learns on the first 80 % of the training period; after each episode its greedy policy runs on the
        /// last 20 % (validation), and the best episode is kept, then calibrated there. Features are scaled with the
        /// training period's statistics.
        /// </summary>
        public ModelFile TrainDqn(TextWriter output)
        {
            var dqn = new DqnOptions(Hidden: Whole("hidden", 32), Gamma: Number("gamma", 0.9), Seed: Seed);
            var episodes = Whole("episodes", 8);
            Announce("dqn", $"{dqn} × {episodes} episodes", output);
            var first = Math.Max(_from, _series.FirstReady);
            var scaler = FeatureScaler.Fit(CandleFeatures.Names, [.. Enumerable.Range(first, _to - first).Select(t => _series.Rows[t]!)]);
            var split = Split(first);
            var agent = DqnAgent.Create(dqn);
            var history = agent.Train(
                new TradingEnvironment(_series, scaler, first, split, FeeBps, dqn.RewardScale),
                new TradingEnvironment(_series, scaler, split, _to, FeeBps, dqn.RewardScale),
                episodes,
                e => output.WriteLine(FormattableString.Invariant(
                    $"episode {e.Episode,3}/{episodes}  reward {e.Reward,9:F2}  net {e.NetReturn,8:P2}  trades {e.Trades,5}  ε {e.Epsilon:F2}  loss {e.Loss:F4}  validation net {e.ValidationReturn,8:P2}{(e.Improved ? "  *best" : "")}")));

            var policy = new DqnPolicy(agent, scaler, _series);
            var evaluation = ForecastEvaluation.EvaluatePolicy(_series, _to, _testTo, policy.PositionAfter, FeeBps, Seed);

            // Each period walks a fresh policy from flat, as the validation environment and the evaluation do.
            var calibration = ConfidenceCalibration.Fit(_series, DqnPolicy.HorizonBars, DqnPolicy.RightMeans, confidence => confidence,
                new CallPeriod(split, _to, new DqnPolicy(agent, scaler, _series).CallAfter),
                new CallPeriod(_to, _testTo, new DqnPolicy(agent, scaler, _series).CallAfter));
            return Store.Save(new ModelFile(
                "dqn", _symbol, 0, DateTimeOffset.UtcNow, scaler,
                new Dictionary<string, double>(dqn.ToHyperParameters()) { ["episodes"] = episodes, ["feeBps"] = FeeBps },
                _series.Times[_from], _series.Times[_to - 1], evaluation, [], 0, agent.Online.Parameters, history, Calibration: calibration));
        }

        /// <summary>
        /// ML.NET FastTree on the first 80 % of the training period, calibrated on the last 20 %; ML.NET's metrics on
        /// the test period, and the walk-forward trading evaluation of its positions (long above ½ + margin, short
        /// below ½ − margin).
        /// </summary>
        public ModelFile TrainMlNet(TextWriter output)
        {
            var options = new GradientBoostedOptions(
                Trees: Whole("trees", 100), Leaves: Whole("leaves", 20), MinimumExamplesPerLeaf: Whole("min-leaf", 50),
                LearningRate: Number("learning-rate", 0.1), Margin: Number("margin", 0.05), Seed: Seed);
            Announce("mlnet", options.ToString(), output);
            var split = Split(Math.Max(_from, _series.FirstReady));
            var model = GradientBoostedClassifier.Train(_series, _from, split, options);
            var training = model.Metrics(_series, _from, split);
            var test = model.Metrics(_series, _to, _testTo);
            output.WriteLine(FormattableString.Invariant(
                $"ML.NET metrics  training: accuracy {training["accuracy"]:P2}, AUC {training["auc"]:F4}   test: accuracy {test["accuracy"]:P2}, AUC {test["auc"]:F4}, F1 {test["f1"]:F4}, log-loss {test["logLoss"]:F4} (reduction against the base rate {test["logLossReduction"]:F4})"));
            var evaluation = ForecastEvaluation.EvaluatePolicy(_series, _to, _testTo,
                t => GradientBoostedClassifier.Position(model.Probability(_series.Rows[t]!), options.Margin), FeeBps, Seed);
            DirectionalCall Call(int t) => GradientBoostedClassifier.Call(model.Probability(_series.Rows[t]!));
            var calibration = ConfidenceCalibration.Fit(_series, LstmForecaster.Horizon, GradientBoostedClassifier.RightMeans,
                score => GradientBoostedClassifier.UncalibratedStrength(score, options.Margin),
                new CallPeriod(split, _to, Call), new CallPeriod(_to, _testTo, Call));
            return Store.Save(new ModelFile(
                "mlnet", _symbol, 0, DateTimeOffset.UtcNow, FeatureScaler.Identity(CandleFeatures.Names), // trees read raw features
                new Dictionary<string, double>
                {
                    ["trees"] = options.Trees, ["leaves"] = options.Leaves, ["minimumExamplesPerLeaf"] = options.MinimumExamplesPerLeaf,
                    ["learningRate"] = options.LearningRate, ["margin"] = options.Margin, ["feeBps"] = FeeBps, ["seed"] = options.Seed,
                },
                _series.Times[_from], _series.Times[_to - 1], evaluation, [], 0, [], null,
                test.ToDictionary(m => $"test.{m.Key}", m => m.Value).Concat(training.ToDictionary(m => $"training.{m.Key}", m => m.Value)).ToDictionary(),
                Convert.ToBase64String(model.Save()), calibration));
        }

        private int Split(int first) => first + (int)((_to - first) * (1 - ValidationShare));

        private void Announce(string kind, string hyperParameters, TextWriter output)
        {
            output.WriteLine($"Training {kind} on {_symbol}: bars {_series.Times[_from]:u} to {_series.Times[_to - 1]:u} ({_to - _from} bars); test {_series.Times[_to]:u} to {_series.Times[_testTo - 1]:u} ({_testTo - _to} bars)");
            output.WriteLine($"hyper-parameters: {hyperParameters}");
        }

        private string Text(string name, string fallback) => _options.GetValueOrDefault(name, fallback);

        private int Whole(string name, int fallback) => _options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        private double Number(string name, double fallback) => _options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        private DateTimeOffset? Date(string name) => _options.TryGetValue(name, out var v)
            ? DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
    }
}
