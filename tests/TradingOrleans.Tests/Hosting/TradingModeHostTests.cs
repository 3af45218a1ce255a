using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Hosting;

/// <summary>The API started with nothing about the mode configured runs in Paper and says so in /health and /metrics.</summary>
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
    }
}
