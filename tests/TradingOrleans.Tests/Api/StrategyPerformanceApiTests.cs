using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class StrategyPerformanceApiTests
{
    [Fact]
    public async Task Each_seeded_strategy_has_its_attributed_pnl_and_the_books_plus_the_residual_make_the_accounts_pnl()
    {
        // Five days of BTC and ETH with the seeded strategies (SMA, RSI, the Johansen pair), as fast as the replay goes: the
        // pair finds cointegration and trades baskets after the third day.
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-06T00:00:00Z", "BTCUSDT", "ETHUSDT");
        using var factory = new TradingApiFactory(settings);
        var http = factory.CreateClient(ApiRole.Viewer);
        await factory.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(3));

        var views = new List<JsonElement>();
        foreach (var id in new[] { "sma-4h-1d", "rsi-14", "johansen-eth-btc" })
        {
            views.Add(await http.GetFromJsonAsync<JsonElement>($"/api/v1/strategies/{id}/performance"));
        }

        Assert.Equal("sma-crossover", views[0].GetProperty("type").GetString());
        Assert.True(views[0].GetProperty("trades").GetInt32() > 0, views[0].ToString());
        Assert.True(views[0].GetProperty("fees").GetDecimal() > 0);
        var account = views[0].GetProperty("accountNetPnl").GetDecimal();
        Assert.NotEqual(0m, account);
        // Every view reads the same report: the three books add up to the attributed total, which with the residual is the account's PnL.
        Assert.Equal(views[0].GetProperty("attributedNetPnl").GetDecimal(), views.Sum(v => v.GetProperty("netPnl").GetDecimal()));
        Assert.Equal(account, views[0].GetProperty("attributedNetPnl").GetDecimal() + views[0].GetProperty("nettingResidual").GetDecimal());

        // A pair strategy's book is its own baskets: the spread PnL and basket count GET /pairs shows for it.
        var pairs = (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/pairs"))!.ToDictionary(p => p.GetProperty("strategyId").GetString()!);
        foreach (var view in views.Skip(2))
        {
            var holding = pairs[view.GetProperty("strategyId").GetString()!].GetProperty("holding");
            Assert.Equal(holding.GetProperty("netPnl").GetDecimal(), view.GetProperty("netPnl").GetDecimal());
            Assert.Equal(holding.GetProperty("fees").GetDecimal(), view.GetProperty("fees").GetDecimal());
            Assert.Equal(holding.GetProperty("baskets").GetInt32(), view.GetProperty("trades").GetInt32());
        }

        Assert.True(views[2].GetProperty("trades").GetInt32() > 0, views[2].ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/strategies/no-such-strategy/performance")).StatusCode);
    }
}
