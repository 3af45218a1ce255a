using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

/// <summary>
/// A real Prometheus (Debian's package, installed by .ci/run) scrapes the real API process during a replay, and
/// every PromQL expression of the Grafana dashboards and the alert rules must return data.
/// </summary>
public sealed partial class PrometheusQueryTests
{
    [Fact]
    public async Task Every_dashboard_and_alert_expression_returns_data_from_a_live_replay()
    {
        var prometheus = TestSettings.FindOnPath("prometheus")
            ?? throw new InvalidOperationException("prometheus is not installed: apt-get install prometheus (.ci/run does)");
        var work = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        Directory.CreateDirectory(work);
        var (apiPort, prometheusPort) = (TestSettings.FreePort(), TestSettings.FreePort());
        var deploy = PathResolver.FindExisting("deploy") ?? throw new DirectoryNotFoundException("deploy");
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), $"""
            global: {"{"} scrape_interval: 1s, evaluation_interval: 1s {"}"}
            rule_files: ["{Path.Combine(deploy, "prometheus", "alerts.yml")}"]
            scrape_configs:
              - job_name: trading-api
                authorization: {"{"} type: ApiKey, credentials_file: "{Path.Combine(work, "admin-api-key")}" {"}"}
                static_configs: [{"{"} targets: ["127.0.0.1:{apiPort}"] {"}"}]
            """);

        using var api = Start("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "TradingOrleans.Client.Api.dll"), "--urls", $"http://127.0.0.1:{apiPort}",
            "--Trading:Storage:SqlitePath", Path.Combine(work, "trading.db"), "--Trading:Audit:Path", Path.Combine(work, "audit.jsonl"),
            "--Trading:Api:LocalAdminKeyFile", Path.Combine(work, "admin-api-key"),
            "--Trading:Silo:SiloPort", TestSettings.FreePort().ToString(), "--Trading:Silo:GatewayPort", TestSettings.FreePort().ToString(),
            "--Trading:Replay:SpeedMultiplier", "3000", "--Trading:Replay:From", "2021-01-01T00:00:00Z",
            "--Logging:LogLevel:Default", "Warning"]);
        using var server = Start(prometheus, [
            $"--config.file={Path.Combine(work, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(work, "tsdb")}",
            $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn"]);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            // One refused call, so the refusal series exist like in any real deployment.
            await Eventually.Returns(() => Get(http, $"http://127.0.0.1:{apiPort}/health/ready"), h => h == "Healthy", TimeSpan.FromSeconds(60));
            await Get(http, $"http://127.0.0.1:{apiPort}/api/v1/portfolio");
            var key = (await File.ReadAllTextAsync(Path.Combine(work, "admin-api-key"))).Trim();
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            await Eventually.Returns(() => Get(http, $"http://127.0.0.1:{apiPort}/metrics"), m => m.Contains("trading_orders_total"), TimeSpan.FromSeconds(90));

            foreach (var expression in Expressions(deploy))
            {
                var url = $"http://127.0.0.1:{prometheusPort}/api/v1/query?query={Uri.EscapeDataString(expression)}";
                await Eventually.Returns(async () => (await http.GetFromJsonAsync<JsonElement>(url)).GetProperty("data").GetProperty("result").GetArrayLength(),
                    count => count > 0, TimeSpan.FromSeconds(60), what: expression);
            }
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Dashboard targets as written; alert expressions without their final threshold (a quiet alert returns nothing).</summary>
    private static IEnumerable<string> Expressions(string deploy)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(deploy, "grafana", "dashboards"), "*.json"))
        {
            foreach (var panel in JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return target.GetProperty("expr").GetString()!;
                }
            }
        }

        foreach (Match rule in AlertExpression().Matches(File.ReadAllText(Path.Combine(deploy, "prometheus", "alerts.yml"))))
        {
            yield return Threshold().Replace(rule.Groups[1].Value.Trim(), "");
        }
    }

    [GeneratedRegex(@"^\s*expr:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex AlertExpression();

    [GeneratedRegex(@"\s*(==|!=|>=|<=|>|<)\s*[\d.]+\s*$")]
    private static partial Regex Threshold();

    private static async Task<string> Get(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is null or HttpStatusCode.Unauthorized)
        {
            return "";
        }
    }

    private static Process Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        // Drain the output so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

}
