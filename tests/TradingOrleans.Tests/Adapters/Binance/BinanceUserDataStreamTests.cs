using System.Net.Http.Json;
using System.Text;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;
using Fault = TradingOrleans.Tests.Support.FakeBinanceExchange.Fault;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// The user-data stream (fills' fast path) keeps itself connected the way Binance's WebSocket API documentation
/// asks: it reconnects at once on a <c>serverShutdown</c> notice, its back-off starts again after a connection
/// that worked, and no failure ends it for good.
/// </summary>
public sealed class BinanceUserDataStreamTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Task Subscribed(FakeBinanceExchange exchange, int count, TimeSpan within) =>
        Eventually.Returns(() => Task.FromResult(exchange.Subscriptions), n => n >= count, within, $"user-data subscription {count}");

    [Fact]
    public async Task A_server_shutdown_notice_makes_it_reconnect_at_once_not_after_its_delay()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        using var factory = BinanceExecutionTests.Start(exchange, "1", TimeSpan.FromHours(1), streamReconnectDelay: TimeSpan.FromMinutes(1));
        factory.CreateClient(ApiRole.Viewer);
        await Subscribed(exchange, 1, TimeSpan.FromSeconds(30));

        await exchange.ServerShutdownAsync();

        // The connection was never cut: only the notice can have made it connect again, well inside the one-minute delay.
        await Subscribed(exchange, 2, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_reconnect_delay_starts_again_after_a_connection_that_worked()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        using var factory = BinanceExecutionTests.Start(exchange, "1", TimeSpan.FromHours(1), streamReconnectDelay: TimeSpan.FromSeconds(1));
        factory.CreateClient(ApiRole.Viewer);
        await Subscribed(exchange, 1, TimeSpan.FromSeconds(30));

        // Each drop follows a successful subscription, so each is a first failure: about 1 s (+ jitter) every time,
        // not 1, 2, 4, 8 s as if the drops were one run of failures.
        for (var drop = 1; drop <= 4; drop++)
        {
            exchange.DropUserDataStreams();
            await Subscribed(exchange, drop + 1, TimeSpan.FromSeconds(6));
        }
    }

    [Fact]
    public async Task An_unexpected_failure_while_routing_an_event_reconnects_the_stream_instead_of_ending_it()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        using var factory = BinanceExecutionTests.Start(exchange, "1", TimeSpan.FromHours(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await Subscribed(exchange, 1, TimeSpan.FromSeconds(30));
        await BinanceExecutionTests.WaitForPrice(http);

        // A 418 bans every REST request for two minutes; then a trade on a symbol whose exchange rules were never
        // loaded (only BTCUSDT is traded here) needs them to book its fee, and the ban refuses the request.
        exchange.Enqueue(Fault.Banned);
        await http.PostAsync("/api/v1/orders", Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":0.01,"clientOrderId":"ban"}"""));
        Assert.Equal("Rejected", (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/orders/BTCUSDT-manual-ban")).GetProperty("status").GetString());
        await exchange.FilledElsewhereAsync("ETHUSDT", "other-client-1", 0.5m);

        await Subscribed(exchange, 2, TimeSpan.FromSeconds(20));
    }
}
