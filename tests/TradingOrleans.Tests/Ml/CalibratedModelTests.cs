using System.Text.Json.Nodes;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Ml;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>
/// The three models trained by the command on a month of shipped BTCUSDT bars, calibrated on their validation fold
/// and measured on the following 15 days, which neither training nor the fit saw; the strategies sizing with it;
/// and model files saved before calibration.
/// </summary>
public sealed class CalibratedModelTests
{
    private static readonly DateTimeOffset TestFrom = new(2021, 2, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> Trained = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        string[] period = ["--symbol", "BTCUSDT", "--from", "2021-01-05", "--to", "2021-02-05", "--test-to", "2021-02-20", "--models", folder];
        foreach (var kind in new string[][] { ["lstm", "--epochs", "2", "--hidden", "4", "--sequence", "6"], ["dqn", "--episodes", "1", "--hidden", "8"], ["mlnet", "--trees", "20"] })
        {
            var output = new StringWriter();
            Assert.True(TrainingCommand.Run([.. kind, .. period], output) == 0, output.ToString());
            Assert.Contains("expected calibration error uncalibrated", output.ToString());
        }

        return folder;
    });

    private static readonly Lazy<CandleSeries> Btc = new(() =>
        CandleSeries.From([.. CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { })
            .TakeWhile(c => c.OpenTime < new DateTimeOffset(2021, 2, 20, 0, 0, 0, TimeSpan.Zero))]));

    [Theory]
    [InlineData("lstm", 5)]
    [InlineData("dqn", 1)]
    [InlineData("mlnet", 5)]
    public void On_held_out_bars_the_calibrated_confidence_has_a_lower_expected_calibration_error(string kind, int horizon)
    {
        var report = new ModelStore(Trained.Value).Load(kind, "BTCUSDT")!.Calibration!.Report;

        // Fitted on the validation fold (the training period's last fifth), measured on the test period after it.
        Assert.Equal((ConfidenceCalibration.Method, horizon), (report.Method, report.HorizonBars));
        Assert.InRange(report.FittedFrom, new DateTimeOffset(2021, 1, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.True(report.FittedTo < TestFrom && report.HeldOutFrom == TestFrom, $"{report.FittedTo} / {report.HeldOutFrom}");
        Assert.InRange(report.HeldOutCalls, 1_000, 4_400);
        foreach (var table in new[] { report.Uncalibrated, report.Calibrated })
        {
            Assert.Equal(report.HeldOutCalls, table.Bins.Sum(b => b.Count));
            Assert.Equal(table.Bins.Sum(b => b.Count * Math.Abs(b.ObservedFrequency - b.MeanPredicted)) / report.HeldOutCalls, table.ExpectedCalibrationError, 12);
        }

        Assert.True(report.Calibrated.ExpectedCalibrationError <= report.Uncalibrated.ExpectedCalibrationError,
            $"{kind}: calibrated ECE {report.Calibrated.ExpectedCalibrationError:F4}, uncalibrated {report.Uncalibrated.ExpectedCalibrationError:F4}");
        Assert.True(report.Calibrated.ExpectedCalibrationError < 0.05, $"{kind}: calibrated ECE {report.Calibrated.ExpectedCalibrationError:F4}");
    }

    [Fact]
    public void The_reported_tables_are_the_classifiers_calls_on_the_test_bars_judged_over_five_bars()
    {
        var file = new ModelStore(Trained.Value).Load("mlnet", "BTCUSDT")!;
        var model = GradientBoostedClassifier.Load(Convert.FromBase64String(file.Blob!));
        var series = Btc.Value;

        // Recounted here: every test bar with five bars after it, p ≠ ½ and a non-zero five-bar return.
        var calls = new List<(double P, bool Right)>();
        for (var t = series.IndexAt(TestFrom); t < series.Count - 5; t++)
        {
            var p = model.Probability(series.Rows[t]!);
            var realised = Math.Log(series.Closes[t + 5] / series.Closes[t]);
            if (p != 0.5 && realised != 0)
            {
                calls.Add((p, p > 0.5 == realised > 0));
            }
        }

        var margin = file.HyperParameters["margin"];
        var right = calls.Select(c => c.Right).ToArray();
        var uncalibrated = ConfidenceCalibration.Reliability([.. calls.Select(c => 0.5 + 0.5 * Math.Min(1, Math.Abs(c.P - 0.5) / (2 * margin)))], right);
        var calibrated = ConfidenceCalibration.Reliability([.. calls.Select(c => file.Calibration!.Map.Probability(Math.Abs(c.P - 0.5)))], right);
        Assert.Equal(calls.Count, file.Calibration!.Report.HeldOutCalls);
        Assert.Equivalent(uncalibrated, file.Calibration.Report.Uncalibrated);
        Assert.Equivalent(calibrated, file.Calibration.Report.Calibrated);
    }

    [Fact]
    public void The_strategy_sizes_with_the_calibrated_probability_and_a_file_saved_before_calibration_keeps_the_raw_strength()
    {
        var calibratedStore = new ModelStore(Trained.Value);
        var file = calibratedStore.Load("mlnet", "BTCUSDT")!;

        // A file as saved before calibration existed: the same JSON without the calibration property.
        var legacyFolder = Directory.CreateTempSubdirectory("models-").FullName;
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Trained.Value, "mlnet-BTCUSDT-v1.json")))!.AsObject();
        Assert.True(json.Remove("calibration"));
        File.WriteAllText(Path.Combine(legacyFolder, "mlnet-BTCUSDT-v1.json"), json.ToJsonString());
        var legacyStore = new ModelStore(legacyFolder);

        Assert.Equal((ModelFile.UncalibratedSizing, (CalibrationReport?)null), (legacyStore.List()[0].Sizing, legacyStore.List()[0].Calibration));
        Assert.Equal(ModelFile.CalibratedSizing, calibratedStore.List().Single(m => m.Kind == "mlnet").Sizing);

        var config = new StrategyConfig("ml-btc", "mlnet", ["BTCUSDT"], new Dictionary<string, double> { ["margin"] = 0.02 });
        var calibrated = StrategyCatalog.CreateSingleSymbol(config, "BTCUSDT", calibratedStore);
        var legacy = StrategyCatalog.CreateSingleSymbol(config, "BTCUSDT", legacyStore);
        var model = GradientBoostedClassifier.Load(Convert.FromBase64String(file.Blob!));
        var series = Btc.Value;
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(600).ToList();
        var sized = 0;
        for (var t = 0; t < bars.Count; t++)
        {
            var (withMap, without) = (calibrated.OnCandle(bars[t]), legacy.OnCandle(bars[t]));
            if (t < series.FirstReady)
            {
                continue;
            }

            // A flat signal (within the margin of ½) has no strength.
            var distance = Math.Abs(model.Probability(series.Rows[t]!) - 0.5);
            var inPosition = distance > 0.02 ? 1 : 0;
            Assert.Equal(inPosition * Math.Min(1, distance / 0.04), without!.Strength, 12);
            Assert.Equal(inPosition * Math.Max(0, 2 * file.Calibration!.Map.Probability(distance) - 1), withMap!.Strength, 12);
            Assert.Contains("calibrated P(right)", withMap.Reason);
            Assert.Contains("uncalibrated", without.Reason);
            sized += withMap.Strength > 0 ? 1 : 0;
        }

        Assert.True(sized > 0, "some calls are sized above a coin flip");
    }

    [Fact]
    public async Task Served_over_the_test_bars_the_model_gauges_report_its_version_its_held_out_error_and_its_live_error()
    {
        var store = new ModelStore(Trained.Value);
        var file = store.Load("mlnet", "BTCUSDT")!;
        var model = GradientBoostedClassifier.Load(Convert.FromBase64String(file.Blob!));
        var series = Btc.Value;
        var config = new StrategyConfig("ml-btc", "mlnet", ["BTCUSDT"], new Dictionary<string, double> { ["margin"] = 0.02 });
        var (metrics, readings) = TestMetrics.CreateWithReadings();
        var served = (IModelServedStrategy)StrategyCatalog.CreateSingleSymbol(config, "BTCUSDT", store);
        var strategy = new IsolatedStrategy(config, served, new StrategyIsolationOptions { TimeBudget = TimeSpan.FromMinutes(1) }, new FakeTimeProvider(), metrics);
        metrics.ServingModel("BTCUSDT", "ml-btc", served);

        // From the first bar the model can read, for two days, then the test period (all the series' bars).
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(series.Count).ToList();
        foreach (var bar in bars)
        {
            Assert.Null((await strategy.Start(bar)).Failure);
        }

        // The live error recounted: the calls from the first ready bar, judged over five bars as the calibration judges them.
        var wrong = new List<bool>();
        for (var t = series.FirstReady; t < series.Count - 5; t++)
        {
            var p = model.Probability(series.Rows[t]!);
            var realised = Math.Log(series.Closes[t + 5] / series.Closes[t]);
            if (p != 0.5 && realised != 0)
            {
                wrong.Add(p > 0.5 != realised > 0);
            }
        }

        var liveError = wrong.TakeLast(RealisedCallError.DefaultWindow).Count(w => w) / (double)RealisedCallError.DefaultWindow;
        var heldOut = file.Calibration!.Report.Calibrated.Bins;
        var heldOutError = 1 - heldOut.Sum(b => b.Count * b.ObservedFrequency) / heldOut.Sum(b => b.Count);
        var tags = new Dictionary<string, string> { ["symbol"] = "BTCUSDT", ["strategy"] = "ml-btc", ["model"] = "mlnet" };
        Assert.Equivalent(new MetricReading(liveError, tags), readings.Observe("trading.model.prediction_error").Single());
        Assert.Equal(heldOutError, readings.Observe("trading.model.validation_error").Single().Value, 12);
        Assert.Equivalent(new MetricReading(file.Version, tags), readings.Observe("trading.model.version").Single());
        Assert.InRange(liveError, 0.3, 0.7);

        // One inference time and one confidence per bar the model ran on; the confidence is the calibrated probability.
        var ran = series.Count - series.FirstReady;
        Assert.Equal(ran, readings.Recorded("trading.model.inference.duration").Count);
        var confidences = readings.Recorded("trading.model.confidence");
        Assert.Equal(ran, confidences.Count);
        Assert.Equal(file.Calibration.Map.Probability(Math.Abs(model.Probability(series.Rows[^1]!) - 0.5)), confidences[^1].Value, 12);
        Assert.All(confidences, c => Assert.Equal(tags, c.Tags));
    }
}
