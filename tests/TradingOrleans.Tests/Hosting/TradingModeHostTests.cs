using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Hosting;

/// <summary>The API started with nothing about the mode configured runs in Paper and says so in /health and /metrics.</summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class TradingModeHostTests
{
    [Fact]
    public async Task The_api_starts_in_paper_and_shows_the_mode_in_health_and_metrics()
    {
        using var api = new TradingApiFactory(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        var http = api.CreateClient(ApiRole.Viewer);

        var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var mode = health.GetProperty("checks").GetProperty("mode");
        Assert.Equal("Healthy", mode.GetProperty("status").GetString());
        Assert.Equal("Paper", mode.GetProperty("data").GetProperty("mode").GetString());
        Assert.Equal("Paper: feed none (Trading:Replay:Enabled=false); venues paper", mode.GetProperty("description").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("grain-calls").GetProperty("status").GetString());

        var metrics = await Eventually.Returns(() => http.GetStringAsync("/metrics"), text => text.Contains("trading_mode"));
        Assert.Matches(@"trading_mode\S*\{[^}]*mode=""paper""[^}]*\} 1", metrics);

        // Paper follows no venue account: the configured cash is the book's.
        var account = await http.GetAsync("/api/v1/account");
        Assert.Equal(HttpStatusCode.NotFound, account.StatusCode);
        Assert.Equal("No venue account", (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.False(health.GetProperty("checks").TryGetProperty("account", out _));
    }

    [Fact]
    public async Task In_testnet_short_selling_stays_off_however_the_limits_were_saved()
    {
        var database = TestSettings.NewDatabasePath();
        // Saved in Paper, where shorting a paper venue is allowed.
        using (var paper = new TradingApiFactory(TestSettings.Quiet(database)))
        {
            var admin = paper.CreateClient(ApiRole.Admin);
            var saved = await admin.PutAsJsonAsync("/api/v1/risk/limits", new { allowShortSelling = true });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.True((await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowShortSelling").GetBoolean());
        }

        // The same book in Testnet, on a Binance-speaking server and a market stream on this machine.
        await using var exchange = await FakeBinanceExchange.StartAsync();
        var settings = exchange.AsOnlyVenue(TestSettings.Quiet(database), "BTCUSDT");
        settings["Trading:Mode"] = "Testnet";
        settings["Trading:MarketData:Binance:BaseUrl"] = $"ws://127.0.0.1:{TestSettings.FreePort()}";
        settings["Trading:MarketData:Binance:Symbols:0"] = "BTCUSDT";
        using var testnet = new TradingApiFactory(settings);
        var http = testnet.CreateClient(ApiRole.Admin);

        Assert.False((await http.GetFromJsonAsync<JsonElement>("/api/v1/risk/limits")).GetProperty("allowShortSelling").GetBoolean());
        var refused = await http.PutAsJsonAsync("/api/v1/risk/limits", new { allowShortSelling = true });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Trading:Mode=Testnet", problem.GetProperty("errors").GetProperty("allowShortSelling")[0].GetString());
    }
}
