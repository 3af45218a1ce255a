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
    public async Task A_johansen_pair_submitted_over_rest_shows_its_test_held_legs_and_spread_pnl_during_a_replay()
    {
        // Three days of ETH and BTC bars at 20,000× (a 5-minute bar every 15 ms); nothing seeded. The pair sees the bars from
        // its creation on, later on a loaded machine: the third day leaves it room to trade after its 300-bar window.
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-04T00:00:00Z", "BTCUSDT", "ETHUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Replay:SpeedMultiplier"] = "20000";
        using var factory = new TradingApiFactory(settings);
        var http = factory.CreateClient(ApiRole.Trader);

        var created = await http.PostAsync("/api/v1/strategies", Json("""
            {"id":"eth-btc-johansen","type":"pairs-johansen","symbols":["ETHUSDT","BTCUSDT"],
             "parameters":{"window":300,"retestEvery":25,"confidence":0.95,"entryZ":1.5,"exitZ":0.3,"stopZ":4}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Read once the replay has ended (the aligned bar count stops moving).
        var previousBars = -1;
        var state = await Eventually.Returns(
            async () =>
            {
                await Task.Delay(300);
                return await http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/eth-btc-johansen/state");
            },
            s =>
            {
                var bars = s.GetProperty("pair").GetProperty("alignedBars").GetInt32();
                var settled = bars == previousBars && s.GetProperty("pair").GetProperty("cointegration").ValueKind == JsonValueKind.Object;
                previousBars = bars;
                return settled;
            },
            TimeSpan.FromMinutes(2), "the replay to end after the pair's first Johansen test");

        var pair = state.GetProperty("pair");
        Assert.Equal("pairs-johansen", pair.GetProperty("type").GetString());
        var cointegration = pair.GetProperty("cointegration");
        Assert.Equal(300, cointegration.GetProperty("windowBars").GetInt32());
        Assert.Equal(15.4943, cointegration.GetProperty("traceCriticalValue").GetDouble());
        Assert.Equal(cointegration.GetProperty("hedgeRatio").GetDouble(), pair.GetProperty("hedgeRatio").GetDouble());
        Assert.Equal(2, cointegration.GetProperty("johansen").GetProperty("eigenvalues").GetArrayLength());
        Assert.Equal(cointegration.GetProperty("cointegrated").GetBoolean(), cointegration.GetProperty("traceStatistic").GetDouble() > 15.4943);
        Assert.Contains("trace", pair.GetProperty("reason").GetString());

        // A pair strategy does not vote on its legs' aggregators: it holds its spread as a basket of both legs.
        Assert.Equal(0, state.GetProperty("signals").GetArrayLength());

        // GET /pairs: the held legs (the strategy's sub-positions), their notionals at the last closes, the ratio they
        // amount to, and the spread PnL; the account holds exactly these legs (no other strategy runs).
        var pairs = await http.GetFromJsonAsync<JsonElement[]>("/api/v1/pairs");
        var listed = Assert.Single(pairs!);
        Assert.Equal("eth-btc-johansen", listed.GetProperty("strategyId").GetString());
        var holding = listed.GetProperty("holding");
        Assert.True(holding.GetProperty("baskets").GetInt32() >= 1, holding.ToString());
        Assert.Equal(0, holding.GetProperty("unwinds").GetInt32());
        Assert.Equal("Completed", holding.GetProperty("lastBasket").GetString());
        var (quantityA, quantityB) = (holding.GetProperty("quantityA").GetDecimal(), holding.GetProperty("quantityB").GetDecimal());
        var portfolio = await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio");
        var positions = portfolio.GetProperty("positions").EnumerateArray().ToDictionary(p => p.GetProperty("symbol").GetString()!, p => p.GetProperty("quantity").GetDecimal());
        Assert.Equal(quantityA, positions.GetValueOrDefault("ETHUSDT"));
        Assert.Equal(quantityB, positions.GetValueOrDefault("BTCUSDT"));
        var (notionalA, notionalB) = (holding.GetProperty("notionalA").GetDecimal(), holding.GetProperty("notionalB").GetDecimal());
        Assert.Equal(quantityA == 0 ? JsonValueKind.Null : JsonValueKind.Number, holding.GetProperty("heldHedgeRatio").ValueKind);
        if (quantityA != 0)
        {
            Assert.Equal((double)(-notionalB / notionalA), holding.GetProperty("heldHedgeRatio").GetDouble(), 9);
        }

        var (realized, unrealized, fees) = (holding.GetProperty("realizedPnl").GetDecimal(), holding.GetProperty("unrealizedPnl").GetDecimal(), holding.GetProperty("fees").GetDecimal());
        Assert.True(fees > 0);
        Assert.Equal(realized + unrealized - fees, holding.GetProperty("netPnl").GetDecimal());
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
