using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

/// <summary>Who may call what: every endpoint against no key, a wrong key, and each role.</summary>
public sealed class ApiAccessTests : IClassFixture<ApiAccessTests.Api>
{
    private readonly Api _api;

    public ApiAccessTests(Api api) => _api = api;

    public sealed class Api : IDisposable
    {
        public TradingApiFactory Factory { get; } = new(TestSettings.NewDatabasePath());

        public void Dispose() => Factory.Dispose();
    }

    /// <summary>Every /api/v1 endpoint with the least role that may call it.</summary>
    public static TheoryData<string, string, string?, ApiRole> Endpoints => new()
    {
        { "GET", "/api/v1/strategies", null, ApiRole.Viewer },
        { "GET", "/api/v1/strategies/types", null, ApiRole.Viewer },
        { "GET", "/api/v1/strategies/rsi-14", null, ApiRole.Viewer },
        { "POST", "/api/v1/strategies", """{"id":"auth-probe","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"enabled":false}""", ApiRole.Trader },
        { "PUT", "/api/v1/strategies/no-such-strategy", """{"type":"rsi-mean-reversion","symbols":["BTCUSDT"]}""", ApiRole.Trader },
        { "DELETE", "/api/v1/strategies/no-such-strategy", null, ApiRole.Trader },
        { "GET", "/api/v1/portfolio", null, ApiRole.Viewer },
        { "GET", "/api/v1/orders", null, ApiRole.Viewer },
        { "GET", "/api/v1/signals/BTCUSDT", null, ApiRole.Viewer },
        { "GET", "/api/v1/risk", null, ApiRole.Viewer },
        { "POST", "/api/v1/risk/resume", null, ApiRole.Admin },
        { "GET", "/api/v1/risk/limits", null, ApiRole.Viewer },
        { "PUT", "/api/v1/risk/limits", "{}", ApiRole.Admin },
        { "GET", "/api/v1/audit", null, ApiRole.Admin },
        { "GET", "/api/v1/reports/trades", null, ApiRole.Admin },
        { "GET", "/api/v1/strategies/rsi-14/state", null, ApiRole.Viewer },
        { "GET", "/api/v1/strategies/rsi-14/performance", null, ApiRole.Viewer },
        { "GET", "/api/v1/pairs", null, ApiRole.Viewer },
        { "POST", "/api/v1/analytics/cointegration", """{"series":[{"name":"A","prices":[1,2]},{"name":"B","prices":[1,2]}]}""", ApiRole.Viewer },
        { "GET", "/api/v1/portfolio/allocation", null, ApiRole.Viewer },
        { "GET", "/api/v1/portfolio/equity-curve", null, ApiRole.Viewer },
        { "POST", "/api/v1/portfolio/rebalance", null, ApiRole.Trader },
        { "GET", "/api/v1/account", null, ApiRole.Viewer },
        { "POST", "/api/v1/account/reconcile", null, ApiRole.Trader },
        { "GET", "/api/v1/backtests", null, ApiRole.Viewer },
        { "GET", "/api/v1/backtests/no-such-job", null, ApiRole.Viewer },
        { "GET", "/api/v1/backtests/no-such-job/report", null, ApiRole.Viewer },
        { "GET", "/api/v1/backtests/no-such-job/trades", null, ApiRole.Viewer },
        { "GET", "/api/v1/backtests/no-such-job/equity", null, ApiRole.Viewer },
        // Not a valid backtest (no period): a trader gets its 400, and no job starts.
        { "POST", "/api/v1/backtests", """{"strategies":[{"id":"auth-probe","type":"rsi-mean-reversion","symbols":["BTCUSDT"]}]}""", ApiRole.Trader },
        { "DELETE", "/api/v1/backtests/no-such-job", null, ApiRole.Trader },
    };

    private static HttpRequestMessage Request(string method, string path, string? body) => new(new HttpMethod(method), path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_can_do_exactly_what_it_should(string method, string path, string? body, ApiRole least)
    {
        var anonymous = await _api.Factory.CreateClient().SendAsync(Request(method, path, body));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (var role in Enum.GetValues<ApiRole>())
        {
            var response = await _api.Factory.CreateClient(role).SendAsync(Request(method, path, body));
            if (role < least)
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500,
                    $"{role} {method} {path}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task The_kill_switch_needs_the_admin_role()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Factory.CreateClient(ApiRole.Trader).PostAsync("/api/v1/risk/halt", null)).StatusCode);
        var admin = _api.Factory.CreateClient(ApiRole.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/risk/halt?reason=test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/risk/resume", null)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_gets_a_401_problem_with_the_scheme_named()
    {
        var client = _api.Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "tok_not-a-real-key");

        var response = await client.GetAsync("/api/v1/portfolio");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Metrics_need_a_key_which_may_come_as_an_authorization_header()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Factory.CreateClient().GetAsync("/metrics")).StatusCode);

        var prometheusLike = _api.Factory.CreateClient();
        prometheusLike.DefaultRequestHeaders.Authorization = new("ApiKey", TradingApiFactory.KeyFor(ApiRole.Viewer));
        var response = await prometheusLike.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_forbidden_call_gets_a_403_problem()
    {
        var response = await _api.Factory.CreateClient(ApiRole.Viewer).DeleteAsync("/api/v1/strategies/rsi-14");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_the_API_description_answer_without_a_key(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await _api.Factory.CreateClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_api_key_scheme()
    {
        var document = await _api.Factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Invalid_symbols_in_urls_get_400_before_any_grain_is_touched()
    {
        var client = _api.Factory.CreateClient(ApiRole.Viewer);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/signals/..%2F..%2Fetc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/signals/{new string('A', 300)}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/orders?symbol=btc-usdt")).StatusCode);
    }
}
