using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;
using Fault = TradingOrleans.Tests.Support.FakeBinanceExchange.Fault;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// The whole system trading on a local Binance-speaking exchange (paper venues off): parent orders over REST, fills
/// from the order answers, the user-data stream and queries, with faults injected. Each test ends on the three
/// promises: no duplicate order at the venue, no lost fill, and the position equals the sum of the venue's fills.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class BinanceExecutionTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static TradingApiFactory Start(FakeBinanceExchange exchange, string speed, TimeSpan pollInterval, TimeSpan? streamReconnectDelay = null)
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-03T00:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Replay:SpeedMultiplier"] = speed;
        exchange.AsOnlyVenue(settings, "BTCUSDT");
        settings["Trading:Broker:Binance:RecvWindowMilliseconds"] = "1500";
        settings["Trading:Broker:Binance:RequestTimeout"] = "00:00:02";
        settings["Trading:Broker:Binance:StreamReconnectDelay"] = (streamReconnectDelay ?? TimeSpan.FromMilliseconds(100)).ToString();
        settings["Trading:Execution:OpenOrderPollInterval"] = pollInterval.ToString();
        return new TradingApiFactory(settings);
    }

    [Fact]
    public async Task Fills_on_the_user_data_stream_reach_the_order_and_a_trade_missed_while_it_was_down_is_recovered_on_reconnect()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Price = 29_000m;
        // Polling is slowed to an hour: recovery must come from the reconciliation after the stream reconnects.
        using var factory = Start(exchange, "1", TimeSpan.FromHours(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForStreamAndPrice(exchange, http);

        exchange.Enqueue(Fault.FillsLater);
        var created = await http.PostAsync("/api/v1/orders", Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":0.03,"clientOrderId":"stream"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("New", (await Order(http)).GetProperty("status").GetString());

        await exchange.TradeAsync("BTCUSDT-manual-stream-1", 0.01m);
        var partial = await Eventually.Returns(() => Order(http), o => o.GetProperty("filledQuantity").GetDecimal() == 0.01m, TimeSpan.FromSeconds(10), "the streamed fill");
        Assert.Equal("PartiallyFilled", partial.GetProperty("status").GetString());

        exchange.DropUserDataStreams();
        await exchange.TradeAsync("BTCUSDT-manual-stream-1", 0.02m); // no subscriber: lost on the stream
        await Eventually.Returns(() => Task.FromResult(exchange.Subscriptions), n => n >= 2, TimeSpan.FromSeconds(30), "the stream to reconnect");

        var filled = await Eventually.Returns(() => Order(http), o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromSeconds(20), "reconciliation");
        await AssertVenueAndPortfolioAgree(http, exchange, [filled]);
    }

    [Fact]
    public async Task A_commission_taken_in_the_base_asset_leaves_the_position_at_what_the_account_holds()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.CommissionInBase = true;
        using var factory = Start(exchange, "1", TimeSpan.FromSeconds(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForStreamAndPrice(exchange, http);

        await http.PostAsync("/api/v1/orders", Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":0.01,"clientOrderId":"base-fee"}"""));
        var order = await Eventually.Returns(() => Order(http, "base-fee"), o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromSeconds(20), "the fill");

        // Bought 0.01 BTC at 30,000 in two trades of 0.005, each charged 0.1 % = 0.000005 BTC: the account holds 0.00999 BTC
        // and paid 300 USDT; the fees (0.00001 BTC, worth 0.3 USDT) are reported in USDT but paid in BTC.
        var portfolio = await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio");
        Assert.Equal(0.00999m, portfolio.GetProperty("positions").EnumerateArray().Single().GetProperty("quantity").GetDecimal());
        Assert.Equal(portfolio.GetProperty("initialCash").GetDecimal() - 300m, portfolio.GetProperty("cash").GetDecimal());
        Assert.Equal(0.3m, portfolio.GetProperty("feesPaid").GetDecimal());
        Assert.Equal(0.01m, order.GetProperty("filledQuantity").GetDecimal());
        await AssertVenueAndPortfolioAgree(http, exchange, [order]);
    }

    [Fact]
    public async Task A_twap_parent_survives_a_timeout_a_5xx_and_an_expired_child_without_a_duplicate_or_a_lost_fill()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Price = 29_000m;
        exchange.SlowAnswer = TimeSpan.FromSeconds(3);
        using var factory = Start(exchange, "600", TimeSpan.FromSeconds(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForPrice(http);

        // Child 1: accepted but answered too late; child 2: 503 before the matching engine, so it is sent again (same
        // id) once its recvWindow has closed; the next order request expires at 40 %. The grain does not wait for a
        // slow venue, so later children may go while child 1 or 2 is unresolved: which request meets the expiry depends
        // on timing (child 2's second send, or child 3).
        exchange.Enqueue(Fault.TimeoutAfterAccept, Fault.ServerErrorBeforeAccept, Fault.PartialThenExpire);
        var created = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Buy","quantity":0.05,"algorithm":"twap","slices":5,"duration":"00:25:00","clientOrderId":"faults"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var order = await Eventually.Returns(() => Order(http, "faults"), o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromMinutes(1), "the TWAP to finish");

        Assert.Equal(0.05m, order.GetProperty("filledQuantity").GetDecimal());
        Assert.Contains(order.GetProperty("children").EnumerateArray(), c => c.GetProperty("status").GetString() == "Cancelled"); // the expired child
        Assert.Equal("ServerErrorBeforeAccept", exchange.Log.Where(l => l.Contains("faults-2 →")).Select(l => l.Split("→ ")[1]).First());
        Assert.Equal(2, exchange.Log.Count(l => l.Contains("faults-2 →"))); // sent again under its id, once
        Assert.Equal(1, exchange.Log.Count(l => l.Contains("faults-1 →"))); // found by its id, not sent again
        await AssertVenueAndPortfolioAgree(http, exchange, [order]);
    }

    [Fact]
    public async Task Cancelling_a_parent_cancels_its_open_child_at_binance_and_keeps_what_filled()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Price = 29_000m;
        using var factory = Start(exchange, "1", TimeSpan.FromHours(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForStreamAndPrice(exchange, http);
        exchange.Enqueue(Fault.FillsLater);
        await http.PostAsync("/api/v1/orders", Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":0.03,"clientOrderId":"cancel"}"""));
        await exchange.TradeAsync("BTCUSDT-manual-cancel-1", 0.01m);
        await Eventually.Returns(() => Order(http, "cancel"), o => o.GetProperty("filledQuantity").GetDecimal() == 0.01m, TimeSpan.FromSeconds(10), "the streamed fill");

        var response = await http.DeleteAsync("/api/v1/orders/BTCUSDT-manual-cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Binance's answer to the cancel may come after the execution grain stopped waiting for it (then it is merged
        // when it comes), so the final state is awaited.
        var order = await Eventually.Returns(() => Order(http, "cancel"),
            o => o.GetProperty("children")[0] is var c && c.GetProperty("status").GetString() != "PartiallyFilled" && !c.GetProperty("awaitingVenue").GetBoolean(),
            TimeSpan.FromSeconds(10), "the cancel's answer");
        Assert.Equal(("Cancelled", 0.01m), (order.GetProperty("status").GetString(), order.GetProperty("filledQuantity").GetDecimal()));
        var child = order.GetProperty("children")[0];
        Assert.Equal(("Cancelled", false), (child.GetProperty("status").GetString(), child.GetProperty("awaitingVenue").GetBoolean()));
        Assert.Equal("CANCELED", Assert.Single(exchange.Orders).Status);
        await AssertVenueAndPortfolioAgree(http, exchange, [order]);
    }

    [Fact]
    public async Task With_the_only_venue_down_its_circuit_opens_and_execution_refuses_new_orders_in_degraded_mode()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        using var factory = Start(exchange, "1", TimeSpan.FromSeconds(1));
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForPrice(http);
        exchange.Down = true;

        // The circuit opens once failures are half the requests of its 30 s window (at least 4), so how many orders
        // that takes depends on how many requests succeeded before the venue went down. Each order before it opens
        // finds Binance down itself: refused before sending (its clock sync failed) or sent with its outcome unknown
        // (kept New and awaiting the venue, never guessed). Once it is open, execution refuses without trying.
        JsonElement order;
        for (var sent = 1; ; sent++)
        {
            Assert.True(sent <= 10, "the circuit did not open after 10 orders to a venue that is down");
            await http.PostAsync("/api/v1/orders", Json($$"""{"symbol":"BTCUSDT","side":"Buy","quantity":0.01,"clientOrderId":"down-{{sent}}"}"""));
            order = await Order(http, $"down-{sent}");
            var (status, reason) = (order.GetProperty("status").GetString(), order.GetProperty("rejectReason").GetString());
            if (reason?.StartsWith("degraded mode: no venue is available (binance)") == true)
            {
                break;
            }

            if (status == "New")
            {
                Assert.True(Assert.Single(order.GetProperty("children").EnumerateArray()).GetProperty("awaitingVenue").GetBoolean());
                await Task.Delay(TimeSpan.FromSeconds(1)); // its lookups fail off the grain's turn, in about this time
            }
            else
            {
                Assert.Equal("Rejected", status);
                Assert.Contains("not sent to binance", reason);
            }
        }

        Assert.Equal("Rejected", order.GetProperty("status").GetString());
        Assert.Empty(order.GetProperty("children").EnumerateArray());
        await Eventually.Returns(() => factory.CreateClient(ApiRole.Viewer).GetStringAsync("/metrics"),
            m => m.Contains("trading_venue_available{otel_scope_name=\"TradingOrleans\",venue=\"binance\"} 0"), TimeSpan.FromSeconds(10), "the venue reported unavailable");
        Assert.Empty(exchange.Orders);
    }

    private static async Task WaitForStreamAndPrice(FakeBinanceExchange exchange, HttpClient http)
    {
        await Eventually.Returns(() => Task.FromResult(exchange.Subscriptions), n => n >= 1, TimeSpan.FromSeconds(30), "the user-data subscription");
        await WaitForPrice(http);
    }

    internal static Task WaitForPrice(HttpClient http) =>
        Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/equity-curve"), c => c.GetArrayLength() > 0, TimeSpan.FromSeconds(30), "a price");

    private static Task<JsonElement> Order(HttpClient http, string clientOrderId = "stream") =>
        http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/BTCUSDT-manual-{clientOrderId}");

    private static async Task AssertVenueAndPortfolioAgree(HttpClient http, FakeBinanceExchange exchange, IReadOnlyList<JsonElement> orders)
    {
        var venueOrders = exchange.Orders;
        Assert.Equal(venueOrders.Count, venueOrders.Select(o => o.ClientOrderId).Distinct().Count()); // no duplicate
        var venueFills = venueOrders.SelectMany(o => o.Trades.Select(t => $"binance-BTCUSDT-{t.TradeId}")).Order().ToArray();
        var ourFills = orders.SelectMany(o => o.GetProperty("fills").EnumerateArray().Select(f => f.GetProperty("fillId").GetString()!)).Order().ToArray();
        Assert.Equal(venueFills, ourFills); // none lost, none twice
        // What the account holds: the executed quantity, less any commission taken in the base asset.
        var held = venueOrders.Sum(o => o.Executed - o.Trades.Where(t => t.CommissionAsset == "BTC").Sum(t => t.Commission));
        var position = (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions").EnumerateArray().Single();
        Assert.Equal(held, position.GetProperty("quantity").GetDecimal());
    }
}
