using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

/// <summary>The silo host's operational endpoints: metrics by API key (or local callers when none is configured), the dashboard for local callers.</summary>
public sealed class HostAccessTests
{
    private const string Key = "tok_prometheus-scrape-key";

    /// <summary>A host with the silo's access rules in front of stand-ins for /metrics, /dashboard and /health, every request from <paramref name="caller"/>.</summary>
    private static async Task<HttpClient> Host(IPAddress caller, params string[] keyHashes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(keyHashes.Select((hash, i) => KeyValuePair.Create($"Trading:Api:Keys:{i}:Sha256", (string?)hash)));
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = caller;
            return next(context);
        });
        app.UseMetricsKey(app.Configuration);
        app.UseLocalCallersOnly("/dashboard", "local callers only");
        app.MapGet("/metrics", () => "trading_bars_total 1");
        app.MapGet("/dashboard", () => "dashboard");
        app.MapGet("/health/ready", () => "Healthy");
        await app.StartAsync();
        return app.GetTestClient();
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static async Task<HttpStatusCode> Get(HttpClient http, string path, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return (await http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task With_keys_configured_metrics_need_one_of_them_from_any_caller()
    {
        var http = await Host(IPAddress.Parse("10.1.2.3"), Hash("tok_other"), Hash(Key));

        Assert.Equal(HttpStatusCode.Unauthorized, await Get(http, "/metrics"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(http, "/metrics", ("Authorization", "ApiKey tok_wrong")));
        Assert.Equal(HttpStatusCode.OK, await Get(http, "/metrics", ("Authorization", $"ApiKey {Key}")));
        Assert.Equal(HttpStatusCode.OK, await Get(http, "/metrics", ("X-Api-Key", Key)));
        Assert.Equal(HttpStatusCode.OK, await Get(http, "/health/ready"));
        Assert.Equal(HttpStatusCode.Forbidden, await Get(http, "/dashboard"));
    }

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::1", HttpStatusCode.OK)]
    [InlineData("203.0.113.5", HttpStatusCode.Forbidden)]
    public async Task Without_keys_metrics_and_the_dashboard_answer_only_callers_on_this_machine(string caller, HttpStatusCode expected)
    {
        var http = await Host(IPAddress.Parse(caller));

        Assert.Equal(expected, await Get(http, "/metrics"));
        Assert.Equal(expected, await Get(http, "/dashboard"));
        Assert.Equal(HttpStatusCode.OK, await Get(http, "/health/ready"));
    }

    [Fact]
    public async Task The_silo_process_serves_metrics_only_with_a_key_and_health_to_anyone()
    {
        var work = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        var port = TestSettings.FreePort();
        using var silo = ChildProcess.Start("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "TradingOrleans.Silo.dll"), "--Urls", $"http://127.0.0.1:{port}",
            "--Trading:Api:Keys:0:Name", "prometheus", "--Trading:Api:Keys:0:Role", "Viewer", "--Trading:Api:Keys:0:Sha256", Hash(Key),
            "--Trading:Replay:Enabled", "false", "--Trading:Storage:SqlitePath", Path.Combine(work, "trading.db"),
            "--Trading:Audit:Path", Path.Combine(work, "audit.jsonl"), "--Trading:Silo:Dashboard", "true",
            "--Trading:Silo:SiloPort", TestSettings.FreePort().ToString(), "--Trading:Silo:GatewayPort", TestSettings.FreePort().ToString(),
            "--Logging:LogLevel:Default", "Warning"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.Returns(async () =>
        {
            Assert.False(silo.HasExited, silo.Describe());
            try
            {
                return await Get(http, "/health/ready");
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "the silo's readiness");

        Assert.Equal(HttpStatusCode.Unauthorized, await Get(http, "/metrics"));
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", $"ApiKey {Key}" } } };
        var metrics = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("trading_", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, await Get(http, "/dashboard/"));
    }
}
