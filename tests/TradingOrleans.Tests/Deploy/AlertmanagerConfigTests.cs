using System.Text.RegularExpressions;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Deploy;

/// <summary>
/// The Alertmanager config has one source, deploy/alertmanager/alertmanager.yml (amtool checks it in test.sh): the
/// Kubernetes ConfigMap must carry it unchanged, and every alert rule's severity must be one its routes name.
/// </summary>
public sealed partial class AlertmanagerConfigTests
{
    private static readonly string Deploy = PathResolver.FindExisting("deploy") ?? throw new DirectoryNotFoundException("deploy");

    private static string Config => File.ReadAllText(Path.Combine(Deploy, "alertmanager", "alertmanager.yml"));

    [Fact]
    public void The_kubernetes_config_map_is_the_alertmanager_config_as_written()
    {
        var manifest = File.ReadAllText(Path.Combine(Deploy, "k8s", "alertmanager.yaml"));
        var block = ConfigMapBlock().Match(manifest);
        Assert.True(block.Success, "no `alertmanager.yml: |` block in deploy/k8s/alertmanager.yaml");
        var embedded = string.Concat(block.Groups[1].Value.Split('\n').Select(line => (line.StartsWith("    ", StringComparison.Ordinal) ? line[4..] : line) + "\n"));

        Assert.Equal(Config.TrimEnd('\n'), embedded.TrimEnd('\n'));
    }

    [Fact]
    public void Every_alert_rule_has_a_severity_that_a_route_names()
    {
        var routed = RouteSeverity().Matches(Config).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(["critical", "warning"], routed.Order());

        var rules = File.ReadAllText(Path.Combine(Deploy, "prometheus", "alerts.yml"));
        var alerts = AlertRule().Matches(rules).Select(m => (Alert: m.Groups[1].Value, Severity: m.Groups[2].Value)).ToList();
        Assert.Equal(AlertName().Count(rules), alerts.Count);
        Assert.All(alerts, a => Assert.Contains(a.Severity, routed));
        Assert.All(["KillSwitchEngaged", "VenueUnavailable", "StrategyQuarantined"], critical => Assert.Contains((critical, "critical"), alerts));
    }

    /// <summary>The ConfigMap's literal block: the lines after `alertmanager.yml: |` up to the next document.</summary>
    [GeneratedRegex(@"^  alertmanager\.yml: \|\n(.*?)^---$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ConfigMapBlock();

    [GeneratedRegex(@"matchers: \['severity=""(\w+)""'\]")]
    private static partial Regex RouteSeverity();

    /// <summary>A rule's name and the severity label that follows it before the next rule.</summary>
    [GeneratedRegex(@"- alert: (\w+)\n(?:(?!\s*- alert:).*\n)*?\s*labels: \{ severity: (\w+) \}")]
    private static partial Regex AlertRule();

    [GeneratedRegex(@"- alert: ")]
    private static partial Regex AlertName();
}
