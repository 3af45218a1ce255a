using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

/// <summary>Models trained by the command, listed by the API with their calibration, refused for a symbol without one, and trading a replay.</summary>
public sealed class ModelStrategyApiTests
{
    [Fact]
    public async Task Trained_lstm_dqn_and_mlnet_models_are_listed_with_their_calibration_and_trade_replayed_bars_as_strategies()
    {
        var models = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        var training = new StringWriter();
        Assert.True(TrainingCommand.Run(
            ["lstm", "--symbol", "BTCUSDT", "--from", "2021-01-05", "--to", "2021-01-20", "--test-to", "2021-01-22", "--epochs", "2", "--hidden", "4", "--sequence", "6", "--models", models],
            training) == 0, training.ToString());
        Assert.True(TrainingCommand.Run(
            ["dqn", "--symbol", "BTCUSDT", "--from", "2021-01-05", "--to", "2021-01-20", "--test-to", "2021-01-22", "--episodes", "2", "--hidden", "8", "--models", models],
            training) == 0, training.ToString());
        Assert.True(TrainingCommand.Run(
            ["mlnet", "--symbol", "BTCUSDT", "--from", "2021-01-05", "--to", "2021-01-20", "--test-to", "2021-01-22", "--trees", "20", "--models", models],
            training) == 0, training.ToString());

        // The replay runs after the training and test periods: the model trades bars it has never seen.
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-22T00:00:00Z", "2021-01-24T00:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Replay:SpeedMultiplier"] = "3000";
        settings["Trading:Models:Directory"] = models;
        using var factory = new TradingApiFactory(settings);
        var http = factory.CreateClient(ApiRole.Trader);

        var listed = await http.GetFromJsonAsync<JsonElement>("/api/v1/models");
        Assert.Equal(["dqn-BTCUSDT-v1", "lstm-BTCUSDT-v1", "mlnet-BTCUSDT-v1"], listed.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.All(listed.EnumerateArray(), model =>
        {
            Assert.True(model.GetProperty("evaluation").GetProperty("samples").GetInt32() > 500);
            Assert.Matches("^(beats|does not beat) the baselines", model.GetProperty("verdict").GetString());

            // The calibration of its confidence: reliability tables and ECE before and after, on its test period.
            var calibration = model.GetProperty("calibration");
            Assert.Equal("isotonic", calibration.GetProperty("method").GetString());
            Assert.StartsWith("calibrated:", model.GetProperty("sizing").GetString());
            foreach (var name in new[] { "uncalibrated", "calibrated" })
            {
                var table = calibration.GetProperty(name);
                Assert.InRange(table.GetProperty("expectedCalibrationError").GetDouble(), 0, 1);
                var bins = table.GetProperty("bins").EnumerateArray().ToList();
                Assert.NotEmpty(bins);
                Assert.All(bins, bin => Assert.InRange(bin.GetProperty("meanPredicted").GetDouble(), bin.GetProperty("lower").GetDouble(), bin.GetProperty("upper").GetDouble()));
                Assert.All(bins, bin => Assert.InRange(bin.GetProperty("observedFrequency").GetDouble(), 0, 1));
                Assert.Equal(calibration.GetProperty("heldOutCalls").GetInt32(), bins.Sum(bin => bin.GetProperty("count").GetInt32()));
            }
        });

        var refused = await http.PostAsync("/api/v1/strategies", Json("""{"id":"lstm-eth","type":"lstm","symbols":["ETHUSDT"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("No trained lstm model for ETHUSDT", problem.GetProperty("errors").GetProperty("symbols[0]")[0].GetString());

        var created = await http.PostAsync("/api/v1/strategies", Json("""{"id":"lstm-btc","type":"lstm","symbols":["BTCUSDT"],"parameters":{"thresholdBps":1}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/strategies", Json("""{"id":"dqn-btc","type":"dqn","symbols":["BTCUSDT"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/strategies", Json("""{"id":"ml-btc","type":"mlnet","symbols":["BTCUSDT"]}"""))).StatusCode);

        var orders = await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/orders?symbol=BTCUSDT"), o => o.GetArrayLength() >= 3,
            TimeSpan.FromSeconds(90), "orders from the lstm strategy");
        Assert.All(orders.EnumerateArray(), o => Assert.Matches("lstm-btc|dqn-btc|ml-btc", o.GetProperty("reason").GetString()));
        await Eventually.Returns(() => http.GetStringAsync("/api/v1/signals/BTCUSDT"),
            s => s.Contains("lstm-BTCUSDT-v1 forecasts", StringComparison.Ordinal) && s.Contains("dqn-BTCUSDT-v1 chose", StringComparison.Ordinal)
                && s.Contains("mlnet-BTCUSDT-v1: P(next 5 bars up)", StringComparison.Ordinal) && s.Contains("calibrated P(right)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "signals of all three models");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
