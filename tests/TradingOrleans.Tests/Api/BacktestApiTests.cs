using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class BacktestApiTests : IClassFixture<BacktestApiTests.Api>
{
    /// <summary>A job that was running when its service stopped without cancelling it: job.json says running, the results half written.</summary>
    private const string InterruptedId = "0123456789ab";

    /// <summary>Two days of BTCUSDT; the period written without offsets, which is UTC whatever the server's time zone.</summary>
    private const string SmallBacktest = """
        {"strategies":[{"id":"sma-1h-4h","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{"fast":12,"slow":48}}],
         "from":"2021-03-01","to":"2021-03-03T00:00:00"}
        """;

    /// <summary>Four months of two symbols: long enough to be running when the next request comes.</summary>
    private const string LongBacktest = """
        {"strategies":[{"id":"sma-1h-4h","type":"sma-crossover","symbols":["BTCUSDT","ETHUSDT"],"parameters":{"fast":12,"slow":48}}],
         "from":"2021-01-01T00:00:00Z","to":"2021-05-01T00:00:00Z"}
        """;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly Api _api;
    private readonly HttpClient _trader;

    public BacktestApiTests(Api api) => (_api, _trader) = (api, api.Factory.CreateClient(ApiRole.Trader));

    /// <summary>One API for the class (no replay, no live strategies), its backtests in a temp folder that already holds an interrupted job.</summary>
    public sealed class Api : IDisposable
    {
        public Api()
        {
            Directory = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "backtests");
            WriteInterruptedJob(Path.Combine(Directory, InterruptedId));
            Factory = new TradingApiFactory(Settings(Directory));
        }

        public string Directory { get; }

        public TradingApiFactory Factory { get; }

        public void Dispose() => Factory.Dispose();
    }

    private static Dictionary<string, string?> Settings(string directory)
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Backtest:Directory"] = directory;
        settings["Trading:Backtest:MaxConcurrentJobs"] = "1";
        // The tests poll a job's status a few times a second.
        settings["Trading:Api:RequestsPerMinute"] = "100000";
        settings["Trading:Api:MutationsPerMinute"] = "100000";
        return settings;
    }

    private static void WriteInterruptedJob(string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, BacktestJobs.JobFile), $$$"""
            {"id":"{{{InterruptedId}}}","status":"Running","submitted":"2026-01-02T03:04:05Z",
             "spec":{"strategies":[{"id":"sma","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{"fast":12,"slow":48},"weight":1,"enabled":true}],
                     "from":"2021-03-01T00:00:00Z","to":"2021-03-02T00:00:00Z","symbols":[]}}
            """);
        File.WriteAllText(Path.Combine(folder, BacktestResult.TradesFile), "time,symbol,side,quantity,price,fee,order_id\n2021-03-01T00:05:00Z,BTCUSDT,Buy,0.1");
        File.WriteAllText(Path.Combine(folder, BacktestResult.ReportFile), "<html><body>half");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HashSet<string>> Fields(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return [.. (await Problem(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    private static async Task<JsonElement> Submitted(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/backtests/{job.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return job;
    }

    private static Task<JsonElement> Finished(HttpClient http, string id) => Eventually.Returns(
        () => http.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{id}"), job => job.GetProperty("status").GetString() != "Running", RunTimeout, $"backtest {id} to finish");

    /// <summary>Until the job's silo has started and its replay reported progress.</summary>
    private static Task<JsonElement> Replaying(HttpClient http, string id) => Eventually.Returns(
        () => http.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{id}"), job => job.GetProperty("progress").ValueKind == JsonValueKind.Object, RunTimeout, $"backtest {id} to replay");

    private static string[] Rows(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task A_backtest_runs_in_the_background_and_serves_its_summary_report_trades_and_equity()
    {
        var accepted = await Submitted(await _trader.PostAsync("/api/v1/backtests", Json(SmallBacktest)));
        Assert.Equal("Running", accepted.GetProperty("status").GetString());
        Assert.Equal(("2021-03-01T00:00:00+00:00", "2021-03-03T00:00:00+00:00"), (accepted.GetProperty("from").GetString(), accepted.GetProperty("to").GetString()));
        var id = accepted.GetProperty("id").GetString()!;

        var job = await Finished(_trader, id);

        Assert.Equal("Completed", job.GetProperty("status").GetString());
        var bars = job.GetProperty("bars").GetInt64();
        Assert.Equal(2 * 288, bars);
        var progress = job.GetProperty("progress");
        Assert.Equal((bars, bars), (progress.GetProperty("barsDone").GetInt64(), progress.GetProperty("barsTotal").GetInt64()));
        var summary = job.GetProperty("summary");
        var fills = summary.GetProperty("fillCount").GetInt32();
        Assert.True(fills > 0, "an SMA 12/48 crossover trades in two days of 5-minute bars");
        Assert.True(summary.GetProperty("tradeCount").GetInt32() >= 0);
        Assert.Equal("sma-1h-4h", job.GetProperty("attribution")[0].GetProperty("strategyId").GetString());
        Assert.Equal(JsonValueKind.Array, job.GetProperty("monthly").ValueKind);

        var report = await _trader.GetAsync($"/api/v1/backtests/{id}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await report.Content.ReadAsStringAsync());

        var trades = await _trader.GetAsync($"/api/v1/backtests/{id}/trades");
        Assert.Equal("text/csv", trades.Content.Headers.ContentType?.MediaType);
        var tradeRows = Rows(await trades.Content.ReadAsStringAsync());
        Assert.Equal("time,symbol,side,quantity,price,fee,order_id", tradeRows[0]);
        Assert.Equal(fills, tradeRows.Length - 1);
        var tradesJson = await _trader.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{id}/trades?format=json");
        Assert.Equal(fills, tradesJson.GetArrayLength());
        Assert.Equal("BTCUSDT", tradesJson[0].GetProperty("symbol").GetString());
        Assert.Contains(tradesJson[0].GetProperty("side").GetString(), new[] { "Buy", "Sell" });
        Assert.True(tradesJson[0].GetProperty("price").GetDecimal() > 0);

        var equityRows = Rows(await _trader.GetStringAsync($"/api/v1/backtests/{id}/equity"));
        Assert.Equal("time,equity,buy_and_hold,gross_exposure", equityRows[0]);
        Assert.Equal(bars, equityRows.Length - 1);
        Assert.Equal(bars, (await _trader.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{id}/equity?format=json")).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await _trader.GetAsync($"/api/v1/backtests/{id}/equity?format=xml")).StatusCode);

        var list = (await _trader.GetFromJsonAsync<JsonElement[]>("/api/v1/backtests"))!;
        Assert.Contains(list, j => j.GetProperty("id").GetString() == id && j.GetProperty("summary").GetProperty("fillCount").GetInt32() == fills);
        var submitted = list.Select(j => j.GetProperty("submitted").GetDateTimeOffset()).ToList();
        Assert.Equal(submitted.OrderDescending(), submitted);

        // Finished results are kept: DELETE cancels only a running backtest.
        var delete = await _trader.DeleteAsync($"/api/v1/backtests/{id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("kept", (await Problem(delete)).GetProperty("detail").GetString());
        Assert.True(File.Exists(Path.Combine(_api.Directory, id, BacktestResult.SummaryFile)));
        Assert.True(File.Exists(Path.Combine(_api.Directory, id, BacktestJobs.AuditFile)));
    }

    [Fact]
    public async Task A_sweep_runs_as_a_job_and_serves_its_report_and_ranking_but_no_trades()
    {
        var accepted = await Submitted(await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"sma","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{"fast":6,"slow":24}}],
             "from":"2021-03-01","to":"2021-03-03","sweep":{"parameters":"fast=6..18:6 slow=24,36","confirm":1,"walkForward":1,"rankBy":"Return"}}
            """)));
        Assert.Equal("fast=6..18:6 slow=24,36", accepted.GetProperty("sweep").GetProperty("parameters").GetString());

        var id = accepted.GetProperty("id").GetString()!;
        var job = await Finished(_trader, id);

        Assert.Equal("Completed", job.GetProperty("status").GetString());
        using var ranking = JsonDocument.Parse(await _trader.GetStringAsync($"/api/v1/backtests/{id}/ranking?format=json"));
        var ranked = ranking.RootElement.GetProperty("ranking").EnumerateArray().ToList();
        Assert.Equal(6, ranked.Count);
        var returns = ranked.Select(r => r.GetProperty("screen").GetProperty("totalReturn").GetDouble()).ToList();
        Assert.Equal(returns.OrderDescending(), returns);
        // The job's headline figures are its best combination's, confirmed through the full pipeline.
        Assert.Equal(ranked[0].GetProperty("confirmed").GetProperty("totalReturn").GetDouble(), job.GetProperty("summary").GetProperty("totalReturn").GetDouble());
        Assert.Single(ranking.RootElement.GetProperty("folds").EnumerateArray());
        Assert.Equal(7, Rows(await _trader.GetStringAsync($"/api/v1/backtests/{id}/ranking")).Length);
        Assert.Contains("Sweep of sma-crossover", await _trader.GetStringAsync($"/api/v1/backtests/{id}/report"));
        var trades = await _trader.GetAsync($"/api/v1/backtests/{id}/trades");
        Assert.Equal(HttpStatusCode.NotFound, trades.StatusCode);
        Assert.Contains("is a sweep", (await Problem(trades)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_bad_sweep_is_named_in_a_400()
    {
        Assert.Equal(["sweep.parameters", "sweep.confirm"], await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"sma","type":"sma-crossover","symbols":["BTCUSDT"]}],"from":"2021-03-01","to":"2021-03-02","sweep":{"parameters":"fast=9..3","confirm":-1}}
            """))));
        Assert.Equal(["sweep"], await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"sma","type":"sma-crossover","symbols":["BTCUSDT"]}],"from":"2021-03-01","to":"2021-03-02","sweep":{"parameters":"period=3..9"}}
            """))));
    }

    [Fact]
    public async Task Every_problem_of_a_backtest_is_named_in_a_400()
    {
        // Several at once: an unknown type, a symbol without data, an inverted period, a fill setting out of range. The
        // second strategy (lower-case symbol, no parameters) is valid as POST /strategies would take it.
        var several = await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"a","type":"moon-phase","symbols":["BTCUSDT"]},{"id":"b","type":"sma-crossover","symbols":["btcusdt"]}],
             "symbols":["BTCUSDT","XRPUSDT"],"from":"2021-03-03T00:00:00Z","to":"2021-03-01T00:00:00Z","fills":{"feeBps":-1}}
            """));
        Assert.Equal(new HashSet<string> { "strategies[0].type", "symbols[1]", "from", "fills.feeBps" }, await Fields(several));

        var badParameters = await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"a","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{"fast":50,"slow":10}}],"from":"2021-03-01T00:00:00Z","to":"2021-03-02T00:00:00Z"}
            """));
        Assert.Contains("strategies[0].parameters.fast", await Fields(badParameters));

        var outsideTheData = await _trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"a","type":"sma-crossover","symbols":["BTCUSDT"]}],"from":"2019-01-01T00:00:00Z","to":"2019-02-01T00:00:00Z"}
            """));
        var outside = await Problem(outsideTheData);
        Assert.Equal(new[] { "from" }, outside.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("outside BTCUSDT's data", outside.GetProperty("errors").GetProperty("from")[0].GetString());

        Assert.Equal(new HashSet<string> { "strategies", "to" }, await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""{"from":"2021-03-01T00:00:00Z"}"""))));
        Assert.Contains("from", await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""{"strategies":[],"from":"yesterday","to":"2021-03-01"}"""))));
        Assert.Contains("form", await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""{"strategies":[],"form":"2021-03-01T00:00:00Z"}"""))));
        Assert.Contains("fills.feeBsp", await Fields(await _trader.PostAsync("/api/v1/backtests", Json("""{"strategies":[],"fills":{"feeBsp":1}}"""))));
        Assert.Equal(HttpStatusCode.BadRequest, (await _trader.PostAsync("/api/v1/backtests", Json("this is not JSON"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _trader.PostAsync("/api/v1/backtests", Json("[]"))).StatusCode);

        Assert.DoesNotContain((await _trader.GetFromJsonAsync<JsonElement[]>("/api/v1/backtests"))!, j => j.GetProperty("status").GetString() == "Running");
    }

    [Fact]
    public async Task A_backtest_beyond_the_concurrent_limit_gets_429_and_a_running_one_can_be_cancelled()
    {
        var id = (await Submitted(await _trader.PostAsync("/api/v1/backtests", Json(LongBacktest)))).GetProperty("id").GetString()!;

        var refused = await _trader.PostAsync("/api/v1/backtests", Json(SmallBacktest));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 says when to retry");
        Assert.Contains("MaxConcurrentJobs", (await Problem(refused)).GetProperty("detail").GetString());

        await Replaying(_trader, id);
        var cancel = await _trader.DeleteAsync($"/api/v1/backtests/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.True((await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelRequested").GetBoolean());

        // Well before the replay of four months could end: it stops at the next market time.
        var job = await Eventually.Returns(() => _trader.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{id}"),
            j => j.GetProperty("status").GetString() != "Running", TimeSpan.FromSeconds(30), "the cancelled backtest to stop");
        Assert.Equal("Cancelled", job.GetProperty("status").GetString());
        Assert.Equal("cancelled on request", job.GetProperty("reason").GetString());
        Assert.True(job.GetProperty("progress").GetProperty("barsDone").GetInt64() < job.GetProperty("progress").GetProperty("barsTotal").GetInt64());
        Assert.False(job.TryGetProperty("summary", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await _trader.GetAsync($"/api/v1/backtests/{id}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _trader.DeleteAsync($"/api/v1/backtests/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_job_cut_off_by_a_restart_shows_failed_and_serves_none_of_its_half_written_results()
    {
        var job = await _trader.GetFromJsonAsync<JsonElement>($"/api/v1/backtests/{InterruptedId}");

        Assert.Equal("Failed", job.GetProperty("status").GetString());
        Assert.Equal(BacktestJobs.Interrupted, job.GetProperty("reason").GetString());
        foreach (var file in new[] { "report", "trades", "equity" })
        {
            var response = await _trader.GetAsync($"/api/v1/backtests/{InterruptedId}/{file}");
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("interrupted", (await Problem(response)).GetProperty("detail").GetString());
        }

        Assert.Contains("\"Failed\"", await File.ReadAllTextAsync(Path.Combine(_api.Directory, InterruptedId, BacktestJobs.JobFile)));
    }

    [Fact]
    public async Task Unknown_backtests_are_404_problems()
    {
        foreach (var path in new[] { "/api/v1/backtests/nope", "/api/v1/backtests/nope/report", "/api/v1/backtests/nope/trades", "/api/v1/backtests/..%2F..%2Fetc/equity" })
        {
            var response = await _trader.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(404, (await Problem(response)).GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _trader.DeleteAsync("/api/v1/backtests/nope")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_backtest_endpoints()
    {
        var paths = (await _api.Factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/backtests").TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("responses").TryGetProperty("429", out _));
        foreach (var path in new[] { "/api/v1/backtests/{id}", "/api/v1/backtests/{id}/report", "/api/v1/backtests/{id}/trades", "/api/v1/backtests/{id}/equity" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task Only_a_trader_may_start_or_cancel_a_backtest_and_a_viewer_may_read_them()
    {
        var viewer = _api.Factory.CreateClient(ApiRole.Viewer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Factory.CreateClient().PostAsync("/api/v1/backtests", Json(SmallBacktest))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/backtests", Json(SmallBacktest))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/v1/backtests/{InterruptedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Factory.CreateClient().GetAsync("/api/v1/backtests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/backtests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/backtests/{InterruptedId}")).StatusCode);
    }

    [Fact]
    public void A_bad_backtest_setting_stops_start_up_naming_it()
    {
        var settings = Settings(Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "backtests"));
        settings["Trading:Backtest:MaxConcurrentJobs"] = "0";
        using var factory = new TradingApiFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Trading:Backtest:MaxConcurrentJobs", error is OptionsValidationException invalid ? string.Join(" | ", invalid.Failures) : error.ToString());
    }

    [Fact]
    public async Task Stopping_the_service_cancels_its_running_backtests_and_records_it()
    {
        var directory = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "backtests");
        string id;
        using (var factory = new TradingApiFactory(Settings(directory)))
        {
            var http = factory.CreateClient(ApiRole.Trader);
            id = (await Submitted(await http.PostAsync("/api/v1/backtests", Json(LongBacktest)))).GetProperty("id").GetString()!;
            await Replaying(http, id);
        }

        var record = JsonSerializer.Deserialize<BacktestJobRecord>(await File.ReadAllTextAsync(Path.Combine(directory, id, BacktestJobs.JobFile)), BacktestResult.Json)!;
        Assert.Equal(BacktestJobStatus.Cancelled, record.Status);
        Assert.Contains("service stopped", record.Reason);
        Assert.NotNull(record.Finished);
        Assert.False(File.Exists(Path.Combine(directory, id, BacktestResult.SummaryFile)));
    }
}
