using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

/// <summary>Johansen pair strategies over REST: config validation, and the pair's live state during a replay.</summary>
public sealed class PairStrategyApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Johansen_pair_state_and_leg_signals_are_visible_after_a_replay()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-03T00:00:00Z", "BTCUSDT", "ETHUSDT");
        using var factory = new TradingApiFactory(settings);
        var http = factory.CreateClient(ApiRole.Viewer);

        // The seeded johansen-eth-btc (window 500, retest every 50) on 576 bars per leg.
        var state = await Eventually.Returns(
            () => http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/johansen-eth-btc/state"),
            s => s.GetProperty("pair").GetProperty("alignedBars").GetInt32() == 576,
            TimeSpan.FromMinutes(2), "the replay to finish");

        var pair = state.GetProperty("pair");
        Assert.Equal("pairs-johansen", pair.GetProperty("type").GetString());
        var cointegration = pair.GetProperty("cointegration");
        Assert.Equal("2021-01-02T21:50:00+00:00", cointegration.GetProperty("testedAt").GetString());
        Assert.Equal(500, cointegration.GetProperty("windowBars").GetInt32());
        Assert.Equal(15.4943, cointegration.GetProperty("traceCriticalValue").GetDouble());
        Assert.Equal(cointegration.GetProperty("hedgeRatio").GetDouble(), pair.GetProperty("hedgeRatio").GetDouble());
        Assert.Equal(2, cointegration.GetProperty("johansen").GetProperty("eigenvalues").GetArrayLength());
        var cointegrated = cointegration.GetProperty("cointegrated").GetBoolean();
        var traceStatistic = cointegration.GetProperty("traceStatistic").GetDouble();
        Assert.Equal(cointegrated, traceStatistic > 15.4943);

        // Both legs carry the strategy's vote, in opposite directions.
        var signals = state.GetProperty("signals").EnumerateArray().ToArray();
        Assert.Equal(["BTCUSDT", "ETHUSDT"], signals.Select(s => s.GetProperty("symbol").GetString()).Order());
        var directions = signals.Select(s => s.GetProperty("direction").GetString()).ToArray();
        Assert.True(directions.All(d => d == "Flat") || directions.Order().SequenceEqual(["Long", "Short"]), string.Join(",", directions));
        Assert.All(signals, s => Assert.Equal(pair.GetProperty("reason").GetString(), s.GetProperty("reason").GetString()));

        var pairs = await http.GetFromJsonAsync<JsonElement[]>("/api/v1/pairs");
        Assert.Equal(["johansen-eth-btc", "pairs-eth-btc"], pairs!.Select(p => p.GetProperty("strategyId").GetString()));
    }

    [Fact]
    public async Task Johansen_pair_configs_are_validated_and_listed_with_their_parameters()
    {
        using var factory = new TradingApiFactory(TestSettings.NewDatabasePath());
        var http = factory.CreateClient(ApiRole.Trader);

        var invalid = await http.PostAsync("/api/v1/strategies", Json("""
            {"id":"ltc-bnb","type":"pairs-johansen","symbols":["LTCUSDT","BNBUSDT"],"parameters":{"entryZ":3,"stopZ":2.5,"confidence":0.93}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["parameters.confidence", "parameters.stopZ"], errors.EnumerateObject().Select(e => e.Name).Order());

        var created = await http.PostAsync("/api/v1/strategies", Json("""
            {"id":"ltc-bnb","type":"pairs-johansen","symbols":["LTCUSDT","BNBUSDT"],"parameters":{"window":300,"confidence":0.99}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var state = await http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/ltc-bnb/state");
        Assert.Equal("LTCUSDT", state.GetProperty("pair").GetProperty("legA").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("pair").GetProperty("cointegration").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/strategies/nope/state")).StatusCode);

        var types = await http.GetFromJsonAsync<JsonElement[]>("/api/v1/strategies/types");
        var johansen = types!.Single(t => t.GetProperty("type").GetString() == "pairs-johansen");
        Assert.True(johansen.GetProperty("isPair").GetBoolean());
        Assert.Equal(
            ["window", "retestEvery", "lagDifferences", "detOrder", "confidence", "entryZ", "exitZ", "stopZ"],
            johansen.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }
}
