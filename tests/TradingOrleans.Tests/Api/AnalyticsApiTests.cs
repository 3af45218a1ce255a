using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

/// <summary>POST /api/v1/analytics/cointegration: vetting a pair before configuring it.</summary>
public sealed class AnalyticsApiTests : IClassFixture<AnalyticsApiTests.Api>
{
    private const string Path = "/api/v1/analytics/cointegration";
    private readonly Api _api;

    public AnalyticsApiTests(Api api) => _api = api;

    /// <summary>One API for the class, replay off; the analytics read the repository's data folder.</summary>
    public sealed class Api : IDisposable
    {
        public TradingApiFactory Factory { get; } = new(TestSettings.NewDatabasePath());

        public void Dispose() => Factory.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Symbols_of_the_loaded_data_get_the_johansen_statistics_statsmodels_computes()
    {
        var response = await _api.Factory.CreateClient(ApiRole.Viewer).PostAsync(Path, Json("""
            {"symbols":["ETHUSDT","btcusdt"],"from":"2021-02-01T00:00:00Z","to":"2021-02-08T00:00:00Z","lagDifferences":2,"maxBars":5000}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var result = body.GetProperty("result");

        // 7 days of 5-minute bars.
        Assert.Equal(2016, result.GetProperty("observations").GetInt32());
        Assert.Equal("2021-02-01T00:00:00+00:00", body.GetProperty("firstBarOpen").GetString());
        Assert.Equal(["ETHUSDT", "BTCUSDT"], result.GetProperty("series").EnumerateArray().Select(s => s.GetString()));
        var johansen = result.GetProperty("johansen");
        var tests = johansen.GetProperty("tests").EnumerateArray().ToArray();
        Assert.Equal(15.4943, tests[0].GetProperty("traceCriticalValues").GetProperty("percent5").GetDouble());
        Assert.Equal(3.8415, tests[1].GetProperty("maxEigenCriticalValues").GetProperty("percent5").GetDouble());
        var rank = johansen.GetProperty("traceRank").GetProperty("at95").GetInt32();
        Assert.Equal(rank, result.GetProperty("rank").GetInt32());
        Assert.Equal(rank >= 1, result.GetProperty("cointegrated").GetBoolean());
        Assert.Equal(1.0, result.GetProperty("cointegratingVector")[0].GetDouble());
        Assert.True(result.GetProperty("engleGranger").GetProperty("residualTest").GetProperty("observations").GetInt32() > 1900);

        // The same closes through statsmodels' coint_johansen (det_order 0, k_ar_diff 2) on the log prices.
        var closes = new[] { "ETHUSDT", "BTCUSDT" }.Select(symbol =>
            CandleCsvReader.Read(RepoData.File(symbol), TimeSpan.FromMinutes(5), (_, _) => { })
                .Where(c => c.OpenTime >= new DateTimeOffset(2021, 2, 1, 0, 0, 0, TimeSpan.Zero) && c.OpenTime < new DateTimeOffset(2021, 2, 8, 0, 0, 0, TimeSpan.Zero))
                .Select(c => (double)c.Close).ToArray()).ToArray();
        var reference = Statsmodels.Run("""
            import json, sys
            import numpy as np
            from statsmodels.tsa.vector_ar.vecm import coint_johansen
            d = json.load(sys.stdin)
            r = coint_johansen(np.log(np.column_stack([d["eth"], d["btc"]])), 0, 2)
            print(json.dumps({"trace": list(r.lr1), "maxeig": list(r.lr2), "eig": list(r.eig)}))
            """, new { eth = closes[0], btc = closes[1] });
        for (var r = 0; r < 2; r++)
        {
            Assert.Equal(reference.GetProperty("trace")[r].GetDouble(), tests[r].GetProperty("traceStatistic").GetDouble(), 6);
            Assert.Equal(reference.GetProperty("maxeig")[r].GetDouble(), tests[r].GetProperty("maxEigenStatistic").GetDouble(), 6);
            Assert.Equal(reference.GetProperty("eig")[r].GetDouble(), johansen.GetProperty("eigenvalues")[r].GetDouble(), 10);
        }
    }

    [Fact]
    public async Task Inline_series_with_a_planted_relation_are_found_cointegrated()
    {
        var random = new Random(21);
        var b = new double[400];
        var a = new double[400];
        var (logB, noise) = (Math.Log(100), 0.0);
        for (var t = 0; t < b.Length; t++)
        {
            logB += 0.01 * (random.NextDouble() - 0.5);
            noise = 0.3 * noise + 0.002 * (random.NextDouble() - 0.5);
            (a[t], b[t]) = (Math.Exp(2 * logB + noise), Math.Exp(logB));
        }

        var response = await _api.Factory.CreateClient(ApiRole.Viewer).PostAsJsonAsync(Path,
            new { series = new[] { new { name = "A", prices = a }, new { name = "B", prices = b } }, confidence = 0.99 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");

        Assert.True(result.GetProperty("cointegrated").GetBoolean());
        Assert.Equal(1, result.GetProperty("rank").GetInt32());
        Assert.Equal(-2, result.GetProperty("cointegratingVector")[1].GetDouble(), 1);
        Assert.InRange(result.GetProperty("spreadHalfLife").GetProperty("halfLifeBars").GetDouble(), 0.1, 2);
        Assert.True(result.GetProperty("engleGranger").GetProperty("residualTest").GetProperty("pValue").GetDouble() < 0.01);
    }

    [Fact]
    public async Task Invalid_requests_get_400_naming_each_field()
    {
        var http = _api.Factory.CreateClient(ApiRole.Viewer);

        var mixed = await Problem(await http.PostAsync(Path, Json("""
            {"series":[{"name":"A","prices":[1,2]}],"symbols":["BTCUSDT"],"detOrder":2,"lagDifferences":0,"confidence":0.8}
            """)));
        Assert.Equal(["confidence", "detOrder", "lagDifferences", "series"], Fields(mixed));

        var badSeries = await Problem(await http.PostAsync(Path, Json("""
            {"series":[{"name":"A","prices":[1,2,3]},{"name":"A","prices":[1,-2,3]},{"name":"C","prices":[1,2]}]}
            """)));
        Assert.Equal(["series[1].name", "series[1].prices", "series[2].prices"], Fields(badSeries));

        var badSymbols = await Problem(await http.PostAsync(Path, Json("""
            {"symbols":["BTCUSDT","btc-usdt"],"from":"2021-02-02T00:00:00Z","to":"2021-02-01T00:00:00Z","maxBars":10}
            """)));
        Assert.Equal(["maxBars", "symbols[1]", "to"], Fields(badSymbols));

        var unknown = await Problem(await http.PostAsync(Path, Json("""{"symbols":["BTCUSDT","DOGEUSDT"]}""")));
        Assert.Contains("DOGEUSDT", unknown.GetProperty("errors").GetProperty("symbols")[0].GetString());

        var tooShort = await Problem(await http.PostAsync(Path, Json("""{"series":[{"name":"A","prices":[1,2,3,4]},{"name":"B","prices":[2,3,4,5]}]}""")));
        Assert.Contains("needs at least 50", tooShort.GetProperty("errors").GetProperty("series")[0].GetString());

        var misspelt = await Problem(await http.PostAsync(Path, Json("""{"symbol":["BTCUSDT","ETHUSDT"]}""")));
        Assert.Contains("symbol", misspelt.GetRawText());
    }

    [Fact]
    public async Task Analytics_need_an_api_key()
    {
        var response = await _api.Factory.CreateClient().PostAsync(Path, Json("""{"symbols":["BTCUSDT","ETHUSDT"]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<string> Fields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
}
