using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>The ML.NET FastTree baseline: labels, learning a known rule, its metrics against our own count, files, serving.</summary>
public sealed class GradientBoostedTests
{
    private static readonly Lazy<CandleSeries> Btc = new(() =>
        CandleSeries.From([.. CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(6_000)]));

    private static readonly GradientBoostedOptions Small = new(Trees: 30, Leaves: 8, MinimumExamplesPerLeaf: 20);

    [Fact]
    public void Labels_are_the_sign_of_the_next_five_returns_and_features_never_look_ahead()
    {
        var series = Btc.Value;

        var rows = GradientBoostedClassifier.Rows(series, 0, 200).ToList();

        Assert.Equal(200 - series.FirstReady - 5, rows.Count);
        var t = series.FirstReady + 10;
        var row = rows[10];
        Assert.Equal(Math.Log(series.Closes[t + 5] / series.Closes[t]) > 0, row.Label);
        Assert.Equal(series.Rows[t]!.Select(v => (float)v), row.Features);
    }

    [Fact]
    public void It_learns_a_rule_one_feature_decides()
    {
        // 100, 110, 100 …: after an up bar the next five sum to a fall, after a down bar to a rise; return_1 says which.
        var zigzag = CandleSeries.From([.. Enumerable.Range(0, 600).Select(i =>
        {
            var c = i % 2 == 0 ? 100m : 110m;
            return new Candle("X", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * i), c, c, c, c, 1m + i % 7, Bars.Start);
        })]);

        var model = GradientBoostedClassifier.Train(zigzag, 0, 400, Small);
        var metrics = model.Metrics(zigzag, 400, 600);

        Assert.True(metrics["accuracy"] > 0.95, $"accuracy {metrics["accuracy"]}");
        Assert.True(metrics["auc"] > 0.95);
    }

    [Fact]
    public void Its_reported_accuracy_equals_our_own_count_on_unseen_real_bars()
    {
        var series = Btc.Value;
        var model = GradientBoostedClassifier.Train(series, 0, 4_000, Small);

        var metrics = model.Metrics(series, 4_000, 6_000);
        var rows = GradientBoostedClassifier.Rows(series, 4_000, 6_000).ToList();
        var right = rows.Count(r => model.Probability([.. r.Features.Select(f => (double)f)]) > 0.5 == r.Label);

        Assert.Equal((double)right / rows.Count, metrics["accuracy"], 3);
        Assert.InRange(metrics["auc"], 0, 1);
    }

    [Fact]
    public void A_saved_model_loads_and_predicts_the_same()
    {
        var series = Btc.Value;
        var model = GradientBoostedClassifier.Train(series, 0, 3_000, Small);

        var loaded = GradientBoostedClassifier.Load(model.Save());

        foreach (var t in new[] { 3_100, 4_200, 5_900 })
        {
            Assert.Equal(model.Probability(series.Rows[t]!), loaded.Probability(series.Rows[t]!));
        }
    }

    [Fact]
    public void The_training_command_trains_it_and_the_strategy_serves_the_same_decisions()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        var output = new StringWriter();

        var exit = TrainingCommand.Run(["mlnet", "--symbol", "BTCUSDT", "--to", "2021-01-10", "--test-to", "2021-01-12", "--trees", "20", "--models", folder], output);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("ML.NET metrics  training: accuracy", output.ToString());
        var store = new ModelStore(folder);
        var file = store.Load("mlnet", "BTCUSDT")!;
        Assert.Contains("test.auc", file.Metrics!.Keys);
        Assert.Null(file.Evaluation!.Mse);

        var model = GradientBoostedClassifier.Load(Convert.FromBase64String(file.Blob!));
        var strategy = StrategyCatalog.CreateSingleSymbol(
            new StrategyConfig("ml-btc", "mlnet", ["BTCUSDT"], new Dictionary<string, double> { ["margin"] = 0.02 }), "BTCUSDT", store);
        var series = Btc.Value;
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(1_000).ToList();
        for (var t = 0; t < bars.Count; t++)
        {
            var signal = strategy.OnCandle(bars[t]);
            if (t < series.FirstReady)
            {
                Assert.Null(signal);
                continue;
            }

            var expected = GradientBoostedClassifier.Position(model.Probability(series.Rows[t]!), 0.02);
            Assert.Equal(expected switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat }, signal!.Direction);
        }
    }
}
