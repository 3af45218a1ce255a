using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

/// <summary>The strategy library over REST: the type list with parameter schemas, and per-field validation.</summary>
public sealed class StrategyLibraryApiTests : IClassFixture<StrategyLibraryApiTests.Api>
{
    private readonly HttpClient _http;

    public StrategyLibraryApiTests(Api api) => _http = api.Factory.CreateClient(ApiRole.Trader);

    public sealed class Api : IDisposable
    {
        public TradingApiFactory Factory { get; } = new(TestSettings.NewDatabasePath());

        public void Dispose() => Factory.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Types_list_every_strategy_with_parameter_types_ranges_and_defaults()
    {
        var types = (await _http.GetFromJsonAsync<JsonElement[]>("/api/v1/strategies/types"))!;

        Assert.True(types.Count(t => !t.GetProperty("isPair").GetBoolean()) >= 30);
        var macd = types.Single(t => t.GetProperty("type").GetString() == "macd");
        var fast = macd.GetProperty("parameters").EnumerateArray().First(p => p.GetProperty("name").GetString() == "fast");
        Assert.Equal(("integer", 12.0, 1.0, 500.0), (fast.GetProperty("type").GetString(), fast.GetProperty("default").GetDouble(),
            fast.GetProperty("min").GetDouble(), fast.GetProperty("max").GetDouble()));
        var strength = macd.GetProperty("parameters").EnumerateArray().First(p => p.GetProperty("name").GetString() == "fullStrengthBps");
        Assert.Equal("number", strength.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_wrongly_typed_out_of_range_and_inconsistent_parameters_are_each_named()
    {
        var wrongType = await _http.PostAsync("/api/v1/strategies", Json("""
            {"id":"m1","type":"macd","symbols":["BTCUSDT"],"parameters":{"fast":"ten"}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("parameters.fast", out _));

        var several = await _http.PostAsync("/api/v1/strategies", Json("""
            {"id":"m2","type":"macd","symbols":["BTCUSDT"],"parameters":{"fast":40,"slow":30.5,"signal":0,"colour":1}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, several.StatusCode);
        var errors = (await several.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["parameters.colour", "parameters.signal", "parameters.slow"], errors.EnumerateObject().Select(e => e.Name).Order());

        var inconsistent = await _http.PostAsync("/api/v1/strategies", Json("""
            {"id":"m3","type":"macd","symbols":["BTCUSDT"],"parameters":{"fast":40,"slow":30}}
            """));
        var rule = (await inconsistent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("parameters.fast")[0].GetString();
        Assert.Equal("Must be below slow (30); got 40.", rule);
    }

    [Fact]
    public async Task A_library_strategy_config_is_stored_and_readable()
    {
        var created = await _http.PostAsync("/api/v1/strategies", Json("""
            {"id":"st-1","type":"supertrend","symbols":["BTCUSDT","ETHUSDT"],"parameters":{"period":7,"multiplier":2.5},"weight":1.5}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var state = await _http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/st-1/state");
        Assert.Equal(2.5, state.GetProperty("config").GetProperty("parameters").GetProperty("multiplier").GetDouble());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("pair").ValueKind);
    }
}
