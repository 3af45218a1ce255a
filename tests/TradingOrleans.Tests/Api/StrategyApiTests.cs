using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class StrategyApiTests : IClassFixture<StrategyApiTests.Api>
{
    private readonly HttpClient _http;

    public StrategyApiTests(Api api) => _http = api.CreateClient();

    /// <summary>One API (with its silo) for the class; replay off so tests see only what they do.</summary>
    public sealed class Api() : IDisposable
    {
        private readonly TradingApiFactory _factory = new(TestSettings.NewDatabasePath());

        public HttpClient CreateClient() => _factory.CreateClient(Client.Api.Security.ApiRole.Admin);

        public void Dispose() => _factory.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_is_healthy(string path)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Default_strategies_are_seeded()
    {
        var ids = (await _http.GetFromJsonAsync<JsonElement[]>("/api/v1/strategies"))!.Select(s => s.GetProperty("id").GetString());

        Assert.Equal(["johansen-eth-btc", "rsi-14", "sma-4h-1d"], ids.Order());
    }

    [Fact]
    public async Task Created_strategy_can_be_read_replaced_and_deleted()
    {
        var created = await _http.PostAsync("/api/v1/strategies",
            Json("""{"id":"sma-fast","type":"sma-crossover","symbols":["btcusdt"],"parameters":{"fast":5,"slow":20},"weight":2}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/strategies/sma-fast", created.Headers.Location?.OriginalString);

        var read = await _http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/sma-fast");
        Assert.Equal("BTCUSDT", read.GetProperty("symbols")[0].GetString());
        Assert.Equal(2.0, read.GetProperty("weight").GetDouble());

        var replaced = await _http.PutAsync("/api/v1/strategies/sma-fast",
            Json("""{"type":"sma-crossover","symbols":["ETHUSDT"],"parameters":{"fast":8,"slow":21},"enabled":false}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await _http.GetFromJsonAsync<JsonElement>("/api/v1/strategies/sma-fast");
        Assert.Equal("ETHUSDT", after.GetProperty("symbols")[0].GetString());
        Assert.False(after.GetProperty("enabled").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/api/v1/strategies/sma-fast")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/strategies/sma-fast")).StatusCode);
    }

    [Fact]
    public async Task Invalid_config_gets_400_naming_every_bad_field()
    {
        var response = await _http.PostAsync("/api/v1/strategies",
            Json("""{"id":"bad id!","type":"moon-phase","symbols":["BTC-USDT","ETHBTC"],"weight":-1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Problem(response)).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "id", "type", "symbols[0]", "symbols[1]", "weight" }, fields);
        Assert.Contains("sma-crossover", errors.GetProperty("type")[0].GetString());
        Assert.Contains("USDT", string.Join(" ", errors.GetProperty("symbols[1]").EnumerateArray().Select(e => e.GetString())));
    }

    [Fact]
    public async Task Out_of_range_and_unknown_parameters_are_named()
    {
        var response = await _http.PostAsync("/api/v1/strategies",
            Json("""{"id":"rsi-x","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"parameters":{"period":1,"colour":3}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await Problem(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("parameters.period", fields);
        Assert.Contains("parameters.colour", fields);
    }

    [Fact]
    public async Task Malformed_json_gets_400_naming_the_field()
    {
        var response = await _http.PostAsync("/api/v1/strategies", Json("""{"id":"x","type":"sma-crossover","weight":"heavy"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("weight", out _));
    }

    [Fact]
    public async Task Unknown_fields_get_400_naming_them()
    {
        var response = await _http.PostAsync("/api/v1/strategies",
            Json("""{"id":"typo","type":"sma-crossover","symbols":["BTCUSDT"],"weigth":2}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("weigth", out _));
    }

    [Fact]
    public async Task Non_json_body_gets_415()
    {
        var response = await _http.PostAsync("/api/v1/strategies", new StringContent("id=x", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Duplicate_id_gets_409()
    {
        const string body = """{"id":"dup","type":"rsi-mean-reversion","symbols":["LTCUSDT"]}""";
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsync("/api/v1/strategies", Json(body))).StatusCode);

        var again = await _http.PostAsync("/api/v1/strategies", Json(body));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await Problem(again);
    }

    [Fact]
    public async Task Unknown_ids_get_404_problems()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/strategies/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync("/api/v1/strategies/nope")).StatusCode);
        var put = await _http.PutAsync("/api/v1/strategies/nope", Json("""{"type":"sma-crossover","symbols":["BTCUSDT"]}"""));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Contains("nope", (await Problem(put)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Put_with_a_different_id_in_the_body_gets_400()
    {
        var response = await _http.PutAsync("/api/v1/strategies/rsi-14", Json("""{"id":"other","type":"rsi-mean-reversion","symbols":["BTCUSDT"]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Order_limit_out_of_range_gets_400()
    {
        var response = await _http.GetAsync("/api/v1/orders?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Kill_switch_halts_and_resumes_with_its_reason()
    {
        var halted = await _http.PostAsync("/api/v1/risk/halt?reason=desk%20closed", null);
        var haltedBody = await halted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Halted", haltedBody.GetProperty("state").GetString());
        Assert.Equal("desk closed", haltedBody.GetProperty("haltReason").GetString());

        var resumed = await (await _http.PostAsync("/api/v1/risk/resume", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Active", resumed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task OpenAPI_document_and_Scalar_UI_are_served()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/strategies", out _));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/scalar")).StatusCode);
    }
}
