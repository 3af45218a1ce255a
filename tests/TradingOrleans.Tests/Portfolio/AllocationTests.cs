using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Portfolio;

/// <summary>Target weights, drift and rebalancing: hand numbers, then a rebalance over REST after a replay.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Drift_and_the_closing_trade_follow_the_target_weights()
    {
        // Equity 100,000: BTC 0.5 × 40,000 = 20,000 (20 %) against a 30 % target; ETH 10 × 3,000 = 30,000 (30 %)
        // against 20 %; LNK unmarked.
        var allocation = AllocationPlan.Measure(
            new Dictionary<string, decimal> { ["BTCUSDT"] = 0.3m, ["ETHUSDT"] = 0.2m, ["LNKUSDT"] = 0.1m },
            new Dictionary<string, (decimal, decimal)> { ["BTCUSDT"] = (0.5m, 40_000m), ["ETHUSDT"] = (10m, 3_000m) },
            100_000m, band: 0.05m, marketTime: null);

        var btc = allocation.Rows.Single(r => r.Symbol == "BTCUSDT");
        Assert.Equal((0.2m, -0.1m, true, 0.25m), (btc.CurrentWeight, btc.Drift, btc.OutsideBand, btc.RebalanceQuantity)); // (30,000 − 20,000) / 40,000
        var eth = allocation.Rows.Single(r => r.Symbol == "ETHUSDT");
        Assert.Equal((0.3m, 0.1m, true, -3.33333333m), (eth.CurrentWeight, eth.Drift, eth.OutsideBand, eth.RebalanceQuantity)); // (20,000 − 30,000) / 3,000
        var unmarked = allocation.Rows.Single(r => r.Symbol == "LNKUSDT");
        Assert.Equal((false, 0m), (unmarked.OutsideBand, unmarked.RebalanceQuantity));
    }

    [Fact]
    public async Task A_rebalance_over_rest_brings_every_weight_back_within_the_band()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-02T00:00:00Z", "BTCUSDT", "ETHUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Portfolio:TargetWeights:BTCUSDT"] = "0.3";
        settings["Trading:Portfolio:TargetWeights:ETHUSDT"] = "0.2";
        settings["Trading:Risk:MaxOrderNotional"] = "50000";
        settings["Trading:Risk:MaxPositionNotional"] = "50000";
        using var factory = new TradingApiFactory(settings);
        var viewer = factory.CreateClient(ApiRole.Viewer);

        // Wait for the replay to mark both symbols at the last bar (00:00 of 2 January closes the day).
        var before = await Eventually.Returns(
            () => viewer.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/allocation"),
            a => a.GetProperty("marketTime").ValueKind == JsonValueKind.String && a.GetProperty("marketTime").GetDateTimeOffset() == new DateTimeOffset(2021, 1, 2, 0, 0, 0, TimeSpan.Zero),
            TimeSpan.FromMinutes(1), "the replay's last marks");
        Assert.All(before.GetProperty("rows").EnumerateArray(), r => Assert.True(r.GetProperty("outsideBand").GetBoolean()));

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/portfolio/rebalance", null)).StatusCode);
        var rebalance = await factory.CreateClient(ApiRole.Trader).PostAsync("/api/v1/portfolio/rebalance", null);
        Assert.Equal(HttpStatusCode.OK, rebalance.StatusCode);
        var outcome = await rebalance.Content.ReadFromJsonAsync<JsonElement>();
        var orders = outcome.GetProperty("orders").EnumerateArray().ToArray();
        Assert.Equal(["BTCUSDT", "ETHUSDT"], orders.Select(o => o.GetProperty("symbol").GetString()));
        Assert.All(orders, o => Assert.True(o.GetProperty("approved").GetBoolean(), o.GetProperty("explanation").GetString()));
        Assert.All(orders, o => Assert.True(o.GetProperty("filledQuantity").GetDecimal() > 0));

        // Fees and slippage keep the weights a hair under target, well inside the 5 % band.
        var after = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/allocation");
        Assert.All(after.GetProperty("rows").EnumerateArray(), r =>
        {
            Assert.False(r.GetProperty("outsideBand").GetBoolean());
            Assert.InRange(r.GetProperty("drift").GetDecimal(), -0.01m, 0.01m);
        });
        Assert.Equal("requested over the API", (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/rebalance")).GetProperty("trigger").GetString());

        // The equity curve has a point per 5 minutes of market time: 288 bars in the day, the first at 00:05.
        var curve = await viewer.GetFromJsonAsync<JsonElement[]>("/api/v1/portfolio/equity-curve");
        Assert.Equal(288, curve!.Length);
        Assert.All(curve, p => Assert.Equal(100_000m, p.GetProperty("equity").GetDecimal()));
    }
}
