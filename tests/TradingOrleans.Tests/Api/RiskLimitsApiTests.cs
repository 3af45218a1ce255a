using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class RiskLimitsApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Limits_change_over_rest_keep_omitted_fields_and_survive_a_restart()
    {
        var database = TestSettings.NewDatabasePath();
        using (var api = new TradingApiFactory(database))
        {
            var admin = api.CreateClient(ApiRole.Admin);
            var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/risk/limits");
            Assert.Equal(10_000m, before.GetProperty("maxOrderNotional").GetDecimal());

            var response = await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":5000,"dailyLossFraction":0.02}"""));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var audit = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/audit?type=risk-limits");
            Assert.Equal(10_000m, Assert.Single(audit!).GetProperty("details").GetProperty("previous").GetProperty("maxOrderNotional").GetDecimal());
        }

        using var restarted = new TradingApiFactory(database);
        var after = await restarted.CreateClient(ApiRole.Viewer).GetFromJsonAsync<JsonElement>("/api/v1/risk/limits");
        Assert.Equal(5_000m, after.GetProperty("maxOrderNotional").GetDecimal());
        Assert.Equal(0.02m, after.GetProperty("dailyLossFraction").GetDecimal());
        Assert.Equal(0.2m, after.GetProperty("positionSizeFraction").GetDecimal());
    }

    [Fact]
    public async Task Invalid_limits_get_400_naming_every_bad_field_and_change_nothing()
    {
        using var api = new TradingApiFactory(TestSettings.NewDatabasePath());
        var admin = api.CreateClient(ApiRole.Admin);

        var invalid = await admin.PutAsync("/api/v1/risk/limits", Json("""
            {"positionSizeFraction":2,"maxDrawdownFraction":-0.1,"maxValueAtRiskFraction":1.5,"maxOpenOrders":-1,"kellyFraction":2}
            """));
        var unknown = await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxLeverage":3}"""));
        var forbidden = await api.CreateClient(ApiRole.Trader).PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var fields = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.Equal(["kellyFraction", "maxDrawdownFraction", "maxOpenOrders", "maxValueAtRiskFraction", "positionSizeFraction"], fields.Order());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(0.2m, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/risk/limits")).GetProperty("positionSizeFraction").GetDecimal());
    }

    [Fact]
    public async Task Portfolio_limits_and_kelly_sizing_are_changeable_over_rest()
    {
        using var api = new TradingApiFactory(TestSettings.NewDatabasePath());
        var admin = api.CreateClient(ApiRole.Admin);

        var response = await admin.PutAsync("/api/v1/risk/limits", Json("""
            {"maxGrossExposure":50000,"maxNetExposure":40000,"maxCorrelatedExposure":30000,"maxValueAtRiskFraction":0.03,"maxOrdersPerMinute":10,"maxOpenOrders":5,"kellyFraction":0.5}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var risk = await admin.GetFromJsonAsync<JsonElement>("/api/v1/risk");
        var limits = risk.GetProperty("limits");
        Assert.Equal((50000m, 0.03m, 5, 0.5m), (limits.GetProperty("maxGrossExposure").GetDecimal(), limits.GetProperty("maxValueAtRiskFraction").GetDecimal(),
            limits.GetProperty("maxOpenOrders").GetInt32(), limits.GetProperty("kellyFraction").GetDecimal()));
        Assert.Equal(0.99, risk.GetProperty("measures").GetProperty("confidence").GetDouble());
    }
}
