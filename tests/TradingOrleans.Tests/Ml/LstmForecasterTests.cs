using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Grains.Strategies.Library;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>Training with early stopping, model files, the training command, and serving the model as a strategy.</summary>
public sealed class LstmForecasterTests
{
    private static readonly Lazy<List<Candle>> Bars = new(() =>
        [.. CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(3_000)]);

    private static readonly LstmOptions Small = new(SequenceLength: 8, Hidden: 6, MaxEpochs: 40, Patience: 2, LearningRate: 3e-3, Seed: 5);

    [Fact]
    public void Training_stops_early_and_keeps_the_best_validation_epoch()
    {
        var series = CandleSeries.From(Bars.Value);

        var (model, history) = LstmForecaster.Train(series, 0, 2_000, Small);

        // Stopped by patience (two epochs without a better validation loss), not by the epoch limit.
        Assert.True(history.Count < Small.MaxEpochs, $"{history.Count} epochs");
        Assert.All(history.TakeLast(Small.Patience), epoch => Assert.False(epoch.Improved));

        // The kept parameters are the best epoch's: recompute the validation loss independently.
        var first = series.FirstReady + Small.SequenceLength - 1;
        var samples = Enumerable.Range(first, 2_000 - 1 - LstmForecaster.Horizon - first + 1).ToArray();
        var validation = samples[^(int)(samples.Length * Small.ValidationShare)..];
        var scaled = model.ScaleRows(series, first - Small.SequenceLength + 1, 2_000);
        var loss = validation.Average(t =>
        {
            var forecast = model.Forecast(scaled.Window(t));
            var actual = series.ReturnsAfter(t, LstmForecaster.Horizon);
            return Enumerable.Range(0, forecast.Length).Sum(k => 0.5 * Math.Pow((forecast[k] - actual[k]) / model.TargetScale, 2) / forecast.Length);
        });
        Assert.Equal(history.Min(h => h.ValidationLoss), loss, 9);
    }

    [Fact]
    public void Scaling_statistics_come_from_the_training_bars_only()
    {
        var series = CandleSeries.From(Bars.Value);

        var (model, _) = LstmForecaster.Train(series, 0, 1_000, Small with { MaxEpochs = 1 });

        // range = (H − L) / C, feature 6: its mean over the ready bars before 1,000, computed from the candles.
        var expected = Enumerable.Range(series.FirstReady, 1_000 - series.FirstReady)
            .Average(t => (double)((Bars.Value[t].High - Bars.Value[t].Low) / Bars.Value[t].Close));
        Assert.Equal(expected, model.Scaler.Means[6], 12);
        var returns = Enumerable.Range(1, 999).Select(series.Return).ToArray();
        var mean = returns.Average();
        Assert.Equal(Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / 998), model.TargetScale, 15);
    }

    [Fact]
    public void The_store_saves_new_versions_and_never_overwrites()
    {
        var store = new ModelStore(Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}"));
        var series = CandleSeries.From(Bars.Value);
        var (model, history) = LstmForecaster.Train(series, 0, 1_000, Small with { MaxEpochs = 1 });
        ModelFile File(string symbol) => new("lstm", symbol, 0, DateTimeOffset.UtcNow, model.Scaler, new Dictionary<string, double> { ["hidden"] = 6 },
            series.Times[0], series.Times[999], null, history, model.TargetScale, model.Network.Parameters);

        var first = store.Save(File("BTCUSDT"));
        var second = store.Save(File("BTCUSDT"));
        store.Save(File("ETHUSDT"));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(2, store.Load("lstm", "BTCUSDT")!.Version);
        Assert.Equal(model.Network.Parameters, store.Load("lstm", "BTCUSDT", 1)!.Parameters);
        Assert.Null(store.Load("lstm", "BTCUSDT", 3));
        Assert.Null(store.Load("lstm", "LTCUSDT"));
        Assert.Equal(["lstm-BTCUSDT-v2", "lstm-BTCUSDT-v1", "lstm-ETHUSDT-v1"], store.List().Select(m => m.Name));
    }

    [Fact]
    public void The_training_command_prints_epochs_and_the_evaluation_and_saves_the_model()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        var output = new StringWriter();

        var exit = TrainingCommand.Run(
            ["lstm", "--symbol", "ethusdt", "--to", "2021-01-08", "--test-to", "2021-01-10", "--epochs", "2", "--hidden", "4", "--sequence", "6", "--models", folder],
            output);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("epoch   1/2", text);
        Assert.Contains("walk-forward test 2021-01-08 00:00:00Z", text);
        Assert.Contains("verdict:", text);
        var saved = new ModelStore(folder).Load("lstm", "ETHUSDT")!;
        Assert.Equal((1, 4.0, 6.0), (saved.Version, saved.HyperParameters["hidden"], saved.HyperParameters["sequenceLength"]));
        Assert.Equal(new DateTimeOffset(2021, 1, 7, 23, 55, 0, TimeSpan.Zero), saved.TrainTo);
        Assert.Equal(new DateTimeOffset(2021, 1, 8, 0, 0, 0, TimeSpan.Zero), saved.Evaluation!.From);
        Assert.InRange(saved.Training.Count, 1, 2);
    }

    [Fact]
    public void The_training_command_explains_bad_arguments()
    {
        var output = new StringWriter();

        Assert.Equal(2, TrainingCommand.Run(["lstm", "--to", "2021-01-08"], output));
        Assert.Contains("--symbol is required", output.ToString());
        Assert.Equal(2, TrainingCommand.Run(["gru", "--symbol", "BTCUSDT"], output));
        Assert.Contains("usage: train lstm", output.ToString());
    }

    [Fact]
    public void The_served_strategy_forecasts_exactly_what_the_evaluation_saw()
    {
        var store = new ModelStore(Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}"));
        var series = CandleSeries.From(Bars.Value);
        var options = Small with { MaxEpochs = 2 };
        var (model, history) = LstmForecaster.Train(series, 0, 2_000, options);
        store.Save(new ModelFile("lstm", "BTCUSDT", 0, DateTimeOffset.UtcNow, model.Scaler,
            options.ToHyperParameters(),
            series.Times[0], series.Times[1_999], null, history, model.TargetScale, model.Network.Parameters));
        var config = new StrategyConfig("lstm-btc", "lstm", ["BTCUSDT"], new Dictionary<string, double> { ["thresholdBps"] = 1 });

        var strategy = StrategyCatalog.CreateSingleSymbol(config, "BTCUSDT", store);
        var signals = Bars.Value.Select(strategy.OnCandle).ToList();

        // No train/serve skew: the bar-by-bar strategy and the batch evaluation path give the same forecast.
        var scaled = model.ScaleRows(series, series.FirstReady, series.Count);
        foreach (var t in new[] { 2_100, 2_500, 2_999 })
        {
            var expected = model.Forecast(scaled.Window(t)).Sum();
            var signal = signals[t]!;
            Assert.Equal(expected > 0.0001 ? SignalDirection.Long : expected < -0.0001 ? SignalDirection.Short : SignalDirection.Flat, signal.Direction);
            Assert.Contains($"lstm-BTCUSDT-v1 forecasts {expected * 10_000:+0.0;-0.0} bps", signal.Reason);
        }

        Assert.Null(signals[series.FirstReady + 6]); // one bar short of a full window
        Assert.NotNull(signals[series.FirstReady + 7]);
    }

    [Fact]
    public void Without_a_model_the_strategy_stays_silent_and_says_why()
    {
        var store = new ModelStore(Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}"));

        var strategy = (LstmForecastStrategy)StrategyCatalog.CreateSingleSymbol(
            new StrategyConfig("lstm-ltc", "lstm", ["LTCUSDT"], new Dictionary<string, double>()), "LTCUSDT", store);

        Assert.All(Bars.Value.Take(200), bar => Assert.Null(strategy.OnCandle(bar)));
        Assert.Equal("no trained lstm model for LTCUSDT: run `train lstm --symbol LTCUSDT`", strategy.Problem);
    }
}
