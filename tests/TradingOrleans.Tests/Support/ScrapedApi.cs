using System.Net;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// The real API process (TradingOrleans.Client.Api.dll from the test's bin folder) with its own SQLite file, audit
/// trail, admin key file and free ports, and a real Prometheus (Debian's package) that scrapes it with the admin key
/// and evaluates deploy/prometheus/alerts.yml, both every second. Both are killed by PID on dispose.
/// </summary>
public sealed class ScrapedApi : IDisposable
{
    private readonly ChildProcess _api;
    private readonly ChildProcess _prometheus;

    private ScrapedApi(string work, string deploy, int apiPort, int prometheusPort, ChildProcess api, ChildProcess prometheus)
    {
        (Work, Deploy, _api, _prometheus) = (work, deploy, api, prometheus);
        ApiUrl = $"http://127.0.0.1:{apiPort}";
        PrometheusUrl = $"http://127.0.0.1:{prometheusPort}";
    }

    /// <summary>This run's temp folder (database, audit trail, admin key, Prometheus' config and data).</summary>
    public string Work { get; }

    /// <summary>The repository's deploy/ folder.</summary>
    public string Deploy { get; }

    public string ApiUrl { get; }

    public string PrometheusUrl { get; }

    // Generous: on a loaded 2-core machine a halt (which cancels working orders before it answers) took over 5 s.
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <param name="apiArguments">Settings for the API beyond its files and ports, e.g. the replay's.</param>
    /// <param name="alertmanagerPort">Where Prometheus sends its alerts; none when null.</param>
    public static async Task<ScrapedApi> StartAsync(IEnumerable<string> apiArguments, int? alertmanagerPort = null)
    {
        var prometheus = TestSettings.FindOnPath("prometheus")
            ?? throw new InvalidOperationException("prometheus is not installed: apt-get install prometheus (.ci/run does)");
        var work = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        Directory.CreateDirectory(work);
        var (apiPort, prometheusPort) = (TestSettings.FreePort(), TestSettings.FreePort());
        var deploy = PathResolver.FindExisting("deploy") ?? throw new DirectoryNotFoundException("deploy");
        var alerting = alertmanagerPort is { } port
            ? $"alerting: {{ alertmanagers: [{{ static_configs: [{{ targets: [\"127.0.0.1:{port}\"] }}] }}] }}"
            : "";
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), $"""
            global: {"{"} scrape_interval: 1s, evaluation_interval: 1s {"}"}
            rule_files: ["{Path.Combine(deploy, "prometheus", "alerts.yml")}"]
            {alerting}
            scrape_configs:
              - job_name: trading-api
                authorization: {"{"} type: ApiKey, credentials_file: "{Path.Combine(work, "admin-api-key")}" {"}"}
                static_configs: [{"{"} targets: ["127.0.0.1:{apiPort}"] {"}"}]
            """);

        var api = ChildProcess.Start("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "TradingOrleans.Client.Api.dll"), "--urls", $"http://127.0.0.1:{apiPort}",
            "--Trading:Storage:SqlitePath", Path.Combine(work, "trading.db"), "--Trading:Audit:Path", Path.Combine(work, "audit.jsonl"),
            "--Trading:Api:LocalAdminKeyFile", Path.Combine(work, "admin-api-key"),
            "--Trading:Silo:SiloPort", TestSettings.FreePort().ToString(), "--Trading:Silo:GatewayPort", TestSettings.FreePort().ToString(),
            "--Logging:LogLevel:Default", "Warning", .. apiArguments]);
        var server = ChildProcess.Start(prometheus, [
            $"--config.file={Path.Combine(work, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(work, "tsdb")}",
            $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn"]);
        return new ScrapedApi(work, deploy, apiPort, prometheusPort, api, server);
    }

    /// <summary>Waits until the API is ready, then returns its generated admin key (written to the key file on start).</summary>
    public async Task<string> WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await GetOrEmpty($"{ApiUrl}/health/ready") != "Healthy")
        {
            if (_api.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The API at {ApiUrl} did not become ready: {_api.Describe()}");
            }

            await Task.Delay(100);
        }

        return (await File.ReadAllTextAsync(Path.Combine(Work, "admin-api-key"))).Trim();
    }

    /// <summary>The body, or "" while the server is not up yet, not ready (503) or refuses the call (401).</summary>
    public async Task<string> GetOrEmpty(string url)
    {
        try
        {
            return await Http.GetStringAsync(url);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is null or HttpStatusCode.Unauthorized or HttpStatusCode.ServiceUnavailable)
        {
            return "";
        }
    }

    public void Dispose()
    {
        _api.Dispose();
        _prometheus.Dispose();
        Http.Dispose();
    }
}
