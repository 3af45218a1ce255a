using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class RestartTests
{
    [Fact]
    public async Task Portfolio_orders_strategies_kill_switch_and_replay_position_survive_a_restart()
    {
        var database = TestSettings.NewDatabasePath();
        var firstRun = TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", "BTCUSDT", "ETHUSDT");

        string portfolioBefore, ordersBefore;
        using (var first = new TradingApiFactory(firstRun))
        {
            var http = first.CreateClient(Client.Api.Security.ApiRole.Admin);
            await first.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(3));
            var created = await http.PostAsync("/api/v1/strategies", new StringContent(
                """{"id":"rsi-7","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"parameters":{"period":7}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            await http.PostAsync("/api/v1/risk/halt?reason=maintenance", null);
            portfolioBefore = await http.GetStringAsync("/api/v1/portfolio");
            ordersBefore = await http.GetStringAsync("/api/v1/orders?limit=1000");
        }

        var secondRun = TestSettings.For(database, replay: false);
        using var second = new TradingApiFactory(secondRun);
        var again = second.CreateClient(Client.Api.Security.ApiRole.Admin);

        var portfolioAfter = await again.GetFromJsonAsync<JsonElement>("/api/v1/portfolio");
        var before = JsonDocument.Parse(portfolioBefore).RootElement;
        Assert.True(before.GetProperty("fillCount").GetInt32() > 0, "the first run should have traded");
        foreach (var field in new[] { "cash", "fillCount", "feesPaid", "realizedPnl" })
        {
            Assert.Equal(before.GetProperty(field).GetRawText(), portfolioAfter.GetProperty(field).GetRawText());
        }

        Assert.Equal(
            JsonDocument.Parse(ordersBefore).RootElement.EnumerateArray().Select(o => o.GetProperty("orderId").GetString()),
            (await again.GetFromJsonAsync<JsonElement>("/api/v1/orders?limit=1000")).EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/strategies/rsi-7")).StatusCode);
        Assert.Equal("Halted", (await again.GetFromJsonAsync<JsonElement>("/api/v1/risk")).GetProperty("state").GetString());

        var grains = second.Services.GetRequiredService<IGrainFactory>();
        var lastPublished = await grains.GetGrain<IReplayProgressGrain>("binance-usdt-2021-5m").GetLastPublished();
        Assert.Equal(new DateTimeOffset(2021, 1, 2, 23, 55, 0, TimeSpan.Zero), lastPublished);
    }
}
