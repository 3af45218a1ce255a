using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

/// <summary>
/// An alert reaches someone: the real API process, a real Prometheus evaluating deploy/prometheus/alerts.yml, and a
/// real Alertmanager (Debian's prometheus-alertmanager) running deploy/alertmanager/alertmanager.yml with only its
/// webhook URL swapped for this test's local receiver. Engaging the kill switch over REST must reach the receiver as
/// a critical KillSwitchEngaged notification in Alertmanager's webhook format, at once and on its own.
/// </summary>
public sealed class AlertDeliveryTests
{
    private const string DeployWebhookUrl = "http://127.0.0.1:5001/alerts";

    [Fact]
    public async Task Engaging_the_kill_switch_sends_a_critical_alert_to_the_webhook()
    {
        var alertmanager = TestSettings.FindOnPath("prometheus-alertmanager")
            ?? throw new InvalidOperationException("Alertmanager is not installed: apt-get install prometheus-alertmanager (test.sh does)");
        await using var webhook = await Webhook.StartAsync();
        var alertmanagerPort = TestSettings.FreePort();
        // No replay: the test needs the kill switch and the rules, not market data.
        using var live = await ScrapedApi.StartAsync(["--Trading:Replay:Enabled", "false"], alertmanagerPort);
        var deployed = await File.ReadAllTextAsync(Path.Combine(live.Deploy, "alertmanager", "alertmanager.yml"));
        Assert.Contains(DeployWebhookUrl, deployed);
        await File.WriteAllTextAsync(Path.Combine(live.Work, "alertmanager.yml"), deployed.Replace(DeployWebhookUrl, webhook.Url));
        using var manager = ChildProcess.Start(alertmanager, [
            $"--config.file={Path.Combine(live.Work, "alertmanager.yml")}", $"--storage.path={Path.Combine(live.Work, "alertmanager")}",
            $"--web.listen-address=127.0.0.1:{alertmanagerPort}", "--cluster.listen-address=", "--log.level=warn"]);

        // Prometheus resends a firing alert only once a minute: Alertmanager must be up before the alert fires.
        await Eventually.Returns(() => live.GetOrEmpty($"http://127.0.0.1:{alertmanagerPort}/-/ready"), r => r.Length > 0,
            TimeSpan.FromSeconds(30), what: "Alertmanager's readiness");
        var key = await live.WaitReadyAsync();
        await Eventually.Returns(() => live.GetOrEmpty($"{live.PrometheusUrl}/api/v1/rules?type=alert"), r => r.Contains("KillSwitchEngaged"),
            TimeSpan.FromSeconds(30), what: "Prometheus' alert rules");
        Assert.DoesNotContain(webhook.Received, n => AlertNames(n).Contains("KillSwitchEngaged"));

        var sinceHalt = Stopwatch.StartNew();
        using var halt = new HttpRequestMessage(HttpMethod.Post, $"{live.ApiUrl}/api/v1/risk/halt?reason=alert-delivery-test");
        halt.Headers.Add("X-Api-Key", key);
        (await live.Http.SendAsync(halt)).EnsureSuccessStatusCode();
        var notification = await Eventually.Returns(
            () => Task.FromResult(webhook.Received.FirstOrDefault(n => AlertNames(n).Contains("KillSwitchEngaged"))),
            n => n.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), what: "the KillSwitchEngaged notification");
        var arrival = sinceHalt.Elapsed;

        // Alertmanager's webhook payload (version 4): a critical alert is its own group, sent without waiting.
        Assert.Equal("4", notification.GetProperty("version").GetString());
        Assert.Equal("firing", notification.GetProperty("status").GetString());
        Assert.Equal("trading-oncall", notification.GetProperty("receiver").GetString());
        var alert = Assert.Single(notification.GetProperty("alerts").EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("KillSwitchEngaged", alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.Equal("critical", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("Trading is halted by the kill switch", alert.GetProperty("annotations").GetProperty("summary").GetString());
        // At once: well inside the 30 s group_wait of an alert without a severity, let alone a warning's 2 minutes.
        Assert.True(arrival < TimeSpan.FromSeconds(15), $"arrived {arrival} after the halt");
    }

    private static IEnumerable<string?> AlertNames(JsonElement notification) =>
        notification.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("alertname").GetString());

    /// <summary>A webhook receiver on 127.0.0.1: keeps every notification Alertmanager posts to /alerts.</summary>
    private sealed class Webhook(WebApplication app, string url, ConcurrentQueue<JsonElement> received) : IAsyncDisposable
    {
        public ConcurrentQueue<JsonElement> Received { get; } = received;

        public string Url { get; } = url;

        public static async Task<Webhook> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var received = new ConcurrentQueue<JsonElement>();
            app.MapPost("/alerts", async (HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                received.Enqueue(body.RootElement.Clone());
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new Webhook(app, address + "/alerts", received);
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
