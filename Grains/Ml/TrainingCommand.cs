using System.Globalization;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// <c>train lstm --symbol BTCUSDT [--from 2021-01-01] [--to 2021-04-01] [--test-to …] [--data …] [--models models]
/// [--epochs 30] [--hidden 16] [--layers 1] [--sequence 24] [--seed 7] [--fee-bps 10] [--threshold-bps 20]</c>:
/// trains on the bars from <c>--from</c> to <c>--to</c> of the symbol's kline file, evaluates walk-forward on the
/// bars from <c>--to</c> to <c>--test-to</c> (never seen in training, nothing tuned on them), prints each epoch and
/// the evaluation against the naive baselines, and saves the next version of the model.
/// </summary>
public static class TrainingCommand
{
    public const string Name = "train";

    public const string Usage =
        "usage: train lstm --symbol BTCUSDT [--from 2021-01-01] [--to 2021-04-01] [--test-to 2021-05-14] [--data data/binance-usdt-2021-5m] " +
        "[--models models] [--epochs 30] [--hidden 16] [--layers 1] [--sequence 24] [--seed 7] [--fee-bps 10] [--threshold-bps 20]";

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 1 || args[0] != "lstm" || args.Length % 2 == 0)
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
            Train(options, output);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }
    }

    private static void Train(Dictionary<string, string> options, TextWriter output)
    {
        string Text(string name, string fallback) => options.GetValueOrDefault(name, fallback);
        int Whole(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Number(string name, double fallback) => options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        DateTimeOffset? Date(string name) => options.TryGetValue(name, out var v)
            ? DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

        var symbol = options.TryGetValue("symbol", out var s) ? s.ToUpperInvariant() : throw new ArgumentException("--symbol is required");
        var dataFolder = PathResolver.FindExisting(Text("data", "data/binance-usdt-2021-5m")) ?? throw new DirectoryNotFoundException($"No folder {Text("data", "data/binance-usdt-2021-5m")}");
        var file = CandleCsvReader.FindFile(dataFolder, symbol) ?? throw new FileNotFoundException($"No kline file for {symbol} in {dataFolder}");
        var candles = CandleCsvReader.Read(file, TimeSpan.FromMinutes(5), (line, problem) => output.WriteLine($"skipped line {line}: {problem}")).ToList();
        var series = CandleSeries.From(candles);

        var from = series.IndexAt(Date("from") ?? series.Times[0]);
        var to = series.IndexAt(Date("to") ?? new DateTimeOffset(2021, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var testTo = series.IndexAt(Date("test-to") ?? DateTimeOffset.MaxValue);
        var lstm = new LstmOptions(
            SequenceLength: Whole("sequence", 24), Hidden: Whole("hidden", 16), Layers: Whole("layers", 1), MaxEpochs: Whole("epochs", 30), Seed: Whole("seed", 7));
        var feeBps = Number("fee-bps", 10);
        var thresholdBps = Number("threshold-bps", 20);

        output.WriteLine($"Training lstm on {symbol}: bars {series.Times[from]:u} to {series.Times[to - 1]:u} ({to - from} bars); test {series.Times[to]:u} to {series.Times[testTo - 1]:u} ({testTo - to} bars)");
        output.WriteLine($"hyper-parameters: {lstm}");
        var (model, history) = LstmForecaster.Train(series, from, to, lstm, epoch =>
            output.WriteLine(FormattableString.Invariant($"epoch {epoch.Epoch,3}/{lstm.MaxEpochs}  training loss {epoch.TrainingLoss:F5}  validation loss {epoch.ValidationLoss:F5}{(epoch.Improved ? "  *best" : "")}")));

        var scaled = model.ScaleRows(series, to - lstm.SequenceLength + 1, testTo);
        var evaluation = ForecastEvaluation.Evaluate(series, to, testTo, t => model.Forecast(scaled.Window(t)), feeBps, thresholdBps, lstm.Seed);
        var store = new ModelStore(ModelStore.Resolve(Text("models", "models")));
        var saved = store.Save(new ModelFile(
            "lstm", symbol, 0, DateTimeOffset.UtcNow, model.Scaler,
            new Dictionary<string, double>
            {
                ["sequenceLength"] = lstm.SequenceLength, ["hidden"] = lstm.Hidden, ["layers"] = lstm.Layers, ["maxEpochs"] = lstm.MaxEpochs,
                ["patience"] = lstm.Patience, ["learningRate"] = lstm.LearningRate, ["batchSize"] = lstm.BatchSize,
                ["validationShare"] = lstm.ValidationShare, ["seed"] = lstm.Seed,
            },
            series.Times[from], series.Times[to - 1], evaluation, history, model.TargetScale, model.Network.Parameters));

        output.WriteLine();
        output.WriteLine(Describe(evaluation));
        output.WriteLine($"saved {Path.Combine(store.Directory, saved.Name)}.json");
    }

    /// <summary>The evaluation as a small table beside its baselines.</summary>
    public static string Describe(ModelEvaluation e) => string.Join(Environment.NewLine,
        FormattableString.Invariant($"walk-forward test {e.From:u} to {e.To:u}, {e.Samples} bars, fee {e.FeeBps} bps, threshold {e.ThresholdBps} bps"),
        FormattableString.Invariant($"  directional accuracy  model {e.DirectionalAccuracy:P2}   last return {e.LastValueDirectionalAccuracy:P2}"),
        FormattableString.Invariant($"  MSE (×1e6)            model {e.Mse * 1e6:F4}   zero {e.ZeroForecastMse * 1e6:F4}   last value {e.LastValueMse * 1e6:F4}"),
        FormattableString.Invariant($"  net log return        model {e.NetReturn:P2} ({e.Trades} position changes)   buy-and-hold {e.BuyAndHoldReturn:P2}   random (same changes) {e.RandomPolicyReturn:P2}"),
        $"  verdict: {e.Verdict}");
}
