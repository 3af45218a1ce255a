using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task A_replayed_order_its_fills_decisions_config_changes_kill_switch_and_refusals_are_in_the_audit_trail()
    {
        var database = TestSettings.NewDatabasePath();
        var settings = TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", "BTCUSDT", "ETHUSDT");
        using var api = new TradingApiFactory(settings);
        var admin = api.CreateClient(ApiRole.Admin);
        await api.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(2));
        await admin.PostAsync("/api/v1/strategies", new StringContent(
            """{"id":"audited","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"enabled":false}""", Encoding.UTF8, "application/json"));
        await admin.PostAsync("/api/v1/risk/halt?reason=audit%20test", null);
        await api.CreateClient().GetAsync("/api/v1/portfolio");
        await api.CreateClient(ApiRole.Viewer).PostAsync("/api/v1/risk/resume", null);

        async Task<JsonElement[]> Audit(string query) => (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/audit?{query}"))!;

        var orders = await Audit("type=order&symbol=BTCUSDT&limit=3");
        Assert.Equal(3, orders.Length);
        Assert.True(orders[0].GetProperty("at").GetDateTimeOffset() >= orders[1].GetProperty("at").GetDateTimeOffset(), "newest first");
        var order = orders[0].GetProperty("details");
        var fillId = order.GetProperty("fills")[0].GetProperty("fillId").GetString();
        var fills = await Audit("type=fill&symbol=BTCUSDT&limit=10000");
        Assert.Contains(fills, f => f.GetProperty("id").GetString() == fillId);
        var orderId = order.GetProperty("orderId").GetString()!;
        var decisions = await Audit("type=risk-decision&symbol=BTCUSDT&limit=10000");
        // The order's id is the approving decision's intent id.
        Assert.Contains(decisions, d => d.GetProperty("details").GetProperty("intent").ValueKind == JsonValueKind.Object
            && d.GetProperty("details").GetProperty("intent").GetProperty("intentId").GetString() == orderId);
        Assert.Equal("created", Assert.Single(await Audit("type=strategy-config")).GetProperty("summary").GetString());
        Assert.Equal("trading Halted: audit test", Assert.Single(await Audit("type=kill-switch")).GetProperty("summary").GetString());
        var refusals = (await Audit("type=api-refusal")).Select(r => r.GetProperty("summary").GetString()).ToList();
        Assert.Contains(refusals, r => r!.Contains("401 GET /api/v1/portfolio: missing API key"));
        // A 403 names the key by its pseudonym (the first 8 hex of its SHA-256), never its holder.
        var pseudonym = ApiKeyStore.Fingerprint(TradingApiFactory.KeyFor(ApiRole.Viewer));
        Assert.Contains(refusals, r => r!.Contains($"403 POST /api/v1/risk/resume: role Viewer of key {pseudonym}"));
        Assert.DoesNotContain(refusals, r => r!.Contains("test-viewer"));

        // The file is append-only JSON lines that never contain a key.
        var lines = await File.ReadAllLinesAsync(Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl"));
        Assert.All(lines, line => JsonDocument.Parse(line));
        Assert.DoesNotContain(lines, line => line.Contains(TradingApiFactory.KeyFor(ApiRole.Admin)));
    }

    [Theory]
    [InlineData("type=everything")]
    [InlineData("symbol=btc")]
    [InlineData("limit=0")]
    [InlineData("from=2021-01-02T00:00:00Z&to=2021-01-01T00:00:00Z")]
    public async Task Bad_filters_get_400_naming_them(string query)
    {
        using var api = new TradingApiFactory(TestSettings.NewDatabasePath());

        var response = await api.CreateClient(ApiRole.Admin).GetAsync($"/api/v1/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var field = query.Split('=')[0];
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
