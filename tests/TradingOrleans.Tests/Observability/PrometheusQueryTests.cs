using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        using var live = await ScrapedApi.StartAsync(["--Trading:Replay:SpeedMultiplier", "3000", "--Trading:Replay:From", "2021-01-01T00:00:00Z"]);
        var key = await live.WaitReadyAsync();
        // One refused call, so the refusal series exist like in any real deployment.
        await live.GetOrEmpty($"{live.ApiUrl}/api/v1/portfolio");
        live.Http.DefaultRequestHeaders.Add("X-Api-Key", key);
        await Eventually.Returns(() => live.GetOrEmpty($"{live.ApiUrl}/metrics"), m => m.Contains("trading_orders_total"), TimeSpan.FromSeconds(90));

        foreach (var expression in Expressions(live.Deploy))
        {
            var url = $"{live.PrometheusUrl}/api/v1/query?query={Uri.EscapeDataString(expression)}";
            await Eventually.Returns(async () => (await live.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("data").GetProperty("result").GetArrayLength(),
                count => count > 0, TimeSpan.FromSeconds(60), what: expression);
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
}
