using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Risk;
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
            Assert.Equal(10_000m, Assert.Single(audit!).GetProperty("details").GetProperty("old").GetProperty("maxOrderNotional").GetDecimal());
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

    [Fact]
    public async Task Limits_changed_over_rest_bind_signal_driven_and_manual_orders_alike()
    {
        using var api = new TradingApiFactory(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        var admin = api.CreateClient(ApiRole.Admin);
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        var risk = grains.GetGrain<IRiskGrain>(0);
        // One BTC bar at 30,000: the price a manual order is reviewed at.
        var bar = Bars.FromCloses("BTCUSDT", 30_000m)[0];
        await grains.GetGrain<ISymbolGrain>("BTCUSDT").OnCandle(bar with { IngestedAt = DateTimeOffset.UtcNow });
        CombinedSignal Long(long sequence) =>
            new("BTCUSDT", sequence, SignalDirection.Long, 1.0, [new SignalContribution("s", SignalDirection.Long, 1, 1)], 30_000m, bar.CloseTime, DateTimeOffset.UtcNow);
        Task<HttpResponseMessage> BuyOneBitcoin(string id) =>
            admin.PostAsync("/api/v1/orders", Json($$"""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"clientOrderId":"{{id}}"}"""));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":3000,"maxOpenOrders":1}"""))).StatusCode);

        // A signal's target of 20 % of 100,000 = 20,000 is cut to the new order limit: 3,000 / 30,000 = 0.1 BTC.
        var signalled = await risk.Evaluate(Long(1));
        Assert.Equal(0.1m, signalled.Intent!.Quantity);
        Assert.Contains("order scaled to order limit 3000", signalled.Explanation);

        // Nothing executes that approval, so it stays open: a manual order meets the open-order limit of 1.
        var refused = await BuyOneBitcoin("first");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("1 orders are still open, the limit is 1", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // Once it closes, the manual order passes, cut to the same order limit: 0.1 of the 1 BTC asked.
        await risk.OrderClosed(signalled.Intent.IntentId);
        await Eventually.Returns(() => BuyOneBitcoin("second"), r => r.StatusCode == HttpStatusCode.Created, what: "the manual order once the first closed");
        var manual = (await risk.GetStatus()).RecentDecisions!.First(d => d.Approved && d.Intent!.IntentId == "BTCUSDT-manual-second");
        Assert.Equal(0.1m, manual.Intent!.Quantity);
        Assert.StartsWith("manual immediate order: Buy 0.10000 of 1 asked (order limit 3000,", manual.Explanation);

        // A second change applies at once to the next decision: nothing kept the first values.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":6000,"maxOpenOrders":0}"""))).StatusCode);
        Assert.Equal(0.2m, (await risk.Evaluate(Long(2))).Intent!.Quantity);
        Assert.Equal((6_000m, 0), ((await risk.GetStatus()).Limits.MaxOrderNotional, (await risk.GetLimits()).MaxOpenOrders));
    }

    [Fact]
    public void Only_the_risk_grain_reads_the_configured_limits()
    {
        // Every other stage asks the RiskGrain (IOptions, IOptionsMonitor, IOptionsSnapshot would be copies a change over REST misses).
        var readers = new[] { typeof(RiskGrain).Assembly, typeof(RiskLimits).Assembly, typeof(Program).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p =>
                p.ParameterType.IsGenericType && p.ParameterType.GetGenericArguments().Contains(typeof(RiskLimits))
                && p.ParameterType.Name.StartsWith("IOptions", StringComparison.Ordinal))))
            .Select(t => t.Name);

        Assert.Equal([nameof(RiskGrain)], readers);
    }

    [Fact]
    public async Task A_partial_update_names_fields_of_the_wrong_type_and_keeps_null_ones()
    {
        using var api = new TradingApiFactory(TestSettings.NewDatabasePath());
        var admin = api.CreateClient(ApiRole.Admin);

        var wrongTypes = await admin.PutAsync("/api/v1/risk/limits", Json("""{"maxOrderNotional":"lots","maxOpenOrders":1.5,"maxLeverage":3}"""));
        var nullKeeps = await admin.PutAsync("/api/v1/risk/limits", Json("""{"minOrderNotional":null,"MaxOpenOrders":7}"""));

        Assert.Equal(HttpStatusCode.BadRequest, wrongTypes.StatusCode);
        var fields = (await wrongTypes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name);
        Assert.Equal(["maxLeverage", "maxOpenOrders", "maxOrderNotional"], fields.Order());
        Assert.Equal(HttpStatusCode.OK, nullKeeps.StatusCode);
        var limits = await admin.GetFromJsonAsync<JsonElement>("/api/v1/risk/limits");
        Assert.Equal((10m, 7, 10_000m), (limits.GetProperty("minOrderNotional").GetDecimal(), limits.GetProperty("maxOpenOrders").GetInt32(),
            limits.GetProperty("maxOrderNotional").GetDecimal()));
    }
}
