using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

/// <summary>Who did what, read back from GET /audit: the key's pseudonym and role for what a person asked, "system" for the rest.</summary>
public sealed class AuditActorTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string PseudonymOf(ApiRole role) => "key:" + ApiKeyStore.Fingerprint(TradingApiFactory.KeyFor(role));

    private static async Task<(string Raw, JsonElement[] Events)> Audit(HttpClient admin, string query = "")
    {
        var raw = await admin.GetStringAsync($"/api/v1/audit?limit=1000{query}");
        return (raw, JsonSerializer.Deserialize<JsonElement[]>(raw)!);
    }

    private static (string? Id, string? Role) Actor(JsonElement auditEvent)
    {
        var actor = auditEvent.GetProperty("actor");
        return (actor.GetProperty("id").GetString(), actor.GetProperty("role").GetString());
    }

    private static void AssertNoHolderName(string raw)
    {
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            Assert.DoesNotContain($"test-{role}".ToLowerInvariant(), raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Changes_over_rest_name_the_key_by_pseudonym_and_role_and_record_old_and_new_values()
    {
        using var api = new TradingApiFactory(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        var (trader, admin) = (api.CreateClient(ApiRole.Trader), api.CreateClient(ApiRole.Admin));

        Assert.Equal(HttpStatusCode.Created, (await trader.PostAsync("/api/v1/strategies",
            Json("""{"id":"audited","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"enabled":false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trader.PutAsync("/api/v1/strategies/audited",
            Json("""{"type":"rsi-mean-reversion","symbols":["BTCUSDT"],"enabled":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await trader.DeleteAsync("/api/v1/strategies/audited")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":5000}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/risk/halt?reason=audit%20test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/risk/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.CreateClient(ApiRole.Viewer).PostAsync("/api/v1/risk/resume", null)).StatusCode);
        var backtest = await trader.PostAsync("/api/v1/backtests", Json("""
            {"strategies":[{"id":"sma","type":"sma-crossover","symbols":["BTCUSDT"]}],"from":"2021-03-01","to":"2021-03-02"}
            """));
        Assert.Equal(HttpStatusCode.Accepted, backtest.StatusCode);
        var jobId = (await backtest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await trader.DeleteAsync($"/api/v1/backtests/{jobId}");

        var (raw, events) = await Audit(admin);

        AssertNoHolderName(raw);
        var configs = events.Where(e => e.GetProperty("type").GetString() == "strategy-config").Reverse().ToArray();
        Assert.Equal(["created", "replaced", "deleted"], configs.Select(e => e.GetProperty("summary").GetString()));
        Assert.All(configs, e => Assert.Equal((PseudonymOf(ApiRole.Trader), "Trader"), Actor(e)));
        var replaced = configs[1].GetProperty("details");
        Assert.False(replaced.GetProperty("old").GetProperty("enabled").GetBoolean());
        Assert.True(replaced.GetProperty("new").GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, configs[0].GetProperty("details").GetProperty("old").ValueKind);
        Assert.Equal(JsonValueKind.Null, configs[2].GetProperty("details").GetProperty("new").ValueKind);

        var limits = Assert.Single(events, e => e.GetProperty("type").GetString() == "risk-limits");
        Assert.Equal((PseudonymOf(ApiRole.Admin), "Admin"), Actor(limits));
        Assert.Equal((10_000m, 5_000m), (limits.GetProperty("details").GetProperty("old").GetProperty("maxOrderNotional").GetDecimal(),
            limits.GetProperty("details").GetProperty("new").GetProperty("maxOrderNotional").GetDecimal()));

        var killSwitch = events.Where(e => e.GetProperty("type").GetString() == "kill-switch").Reverse().ToArray();
        Assert.Equal(["trading Halted: audit test", "trading Active"], killSwitch.Select(e => e.GetProperty("summary").GetString()));
        Assert.All(killSwitch, e => Assert.Equal((PseudonymOf(ApiRole.Admin), "Admin"), Actor(e)));

        var refusal = Assert.Single(events, e => e.GetProperty("type").GetString() == "api-refusal");
        Assert.Equal((PseudonymOf(ApiRole.Viewer), "Viewer"), Actor(refusal));

        var backtests = events.Where(e => e.GetProperty("type").GetString() == "backtest").ToArray();
        Assert.Contains(backtests, e => e.GetProperty("summary").GetString()!.StartsWith("started: 1 strategies on BTCUSDT", StringComparison.Ordinal));
        Assert.All(backtests, e => Assert.Equal((jobId, (PseudonymOf(ApiRole.Trader), "Trader")), (e.GetProperty("id").GetString(), Actor(e))));
    }

    [Fact]
    public async Task A_manual_order_names_its_trader_while_fills_and_risk_decisions_are_the_systems()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-03T00:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Replay:SpeedMultiplier"] = "3000";
        using var api = new TradingApiFactory(settings);
        var (trader, admin) = (api.CreateClient(ApiRole.Trader), api.CreateClient(ApiRole.Admin));
        await Eventually.Returns(() => trader.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/equity-curve"), c => c.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the first replayed bar");

        Assert.Equal(HttpStatusCode.Created, (await trader.PostAsync("/api/v1/orders",
            Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":0.01,"clientOrderId":"by-hand"}"""))).StatusCode);
        await Eventually.Returns(() => trader.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-by-hand"),
            o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromSeconds(30), "the order to fill");

        var (raw, events) = await Audit(admin);

        AssertNoHolderName(raw);
        Assert.All(events, e => Assert.NotEqual(JsonValueKind.Null, e.GetProperty("actor").ValueKind));
        var placed = events.Last(e => e.GetProperty("type").GetString() == "order" && e.GetProperty("id").GetString() == "BTCUSDT-manual-by-hand");
        Assert.Equal((PseudonymOf(ApiRole.Trader), "Trader"), Actor(placed));
        var fills = events.Where(e => e.GetProperty("type").GetString() == "fill").ToArray();
        var decisions = events.Where(e => e.GetProperty("type").GetString() == "risk-decision").ToArray();
        Assert.NotEmpty(fills);
        Assert.NotEmpty(decisions);
        Assert.All(fills.Concat(decisions), e => Assert.Equal(("system", null), Actor(e)));
    }
}
