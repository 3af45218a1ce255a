using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

/// <summary>Parent orders over REST in the embedded default: a TWAP sliced on replayed bars, cancel, amend, validation.</summary>
public sealed class ManualOrderApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static TradingApiFactory Start(string speed)
    {
        // Two days of BTC bars at the given speed, no strategies: only our orders trade.
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-03T00:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Replay:SpeedMultiplier"] = speed;
        return new TradingApiFactory(settings);
    }

    private static async Task WaitForAPrice(HttpClient http) =>
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/equity-curve"), c => c.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the first replayed bar");

    [Fact]
    public async Task A_twap_parent_placed_over_rest_is_sliced_on_the_bars_and_filled_on_the_paper_venue()
    {
        using var factory = Start("3000");
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForAPrice(http);

        // 0.05 BTC in 5 slices over 25 minutes: one child per 5-minute bar, 0.01 each.
        var created = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Buy","quantity":0.05,"algorithm":"twap","slices":5,"duration":"00:25:00","clientOrderId":"twap-1"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/orders/BTCUSDT-manual-twap-1", created.Headers.Location?.OriginalString);

        var order = await Eventually.Returns(
            () => http.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-twap-1"),
            o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromMinutes(1), "the TWAP to finish");

        // One child per bar; a bar the execution grain saw before the order arrived (the replay runs on) makes the
        // first child carry two slices, so there are 4 or 5 children, whole slices each, numbered in order.
        var children = order.GetProperty("children").EnumerateArray().ToArray();
        Assert.InRange(children.Length, 4, 5);
        Assert.Equal(Enumerable.Range(1, children.Length).Select(n => $"BTCUSDT-manual-twap-1-{n}"), children.Select(c => c.GetProperty("clientOrderId").GetString()));
        Assert.All(children, c => Assert.Equal(0m, c.GetProperty("quantity").GetDecimal() % 0.01m));
        Assert.Equal(0.05m, children.Sum(c => c.GetProperty("quantity").GetDecimal()));
        Assert.All(children, c => Assert.Equal("paper", c.GetProperty("venue").GetString()));
        Assert.Equal(("twap", 0.05m, 0.05m), (order.GetProperty("algorithm").GetString(), order.GetProperty("sentQuantity").GetDecimal(), order.GetProperty("filledQuantity").GetDecimal()));
        Assert.Equal("TWAP slice 5 of 5 over 00:25:00", order.GetProperty("lastSliceReason").GetString());

        // The fills reached the portfolio, and repeating the request returns the same order instead of trading twice.
        var position = (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions").EnumerateArray().Single();
        Assert.Equal(0.05m, position.GetProperty("quantity").GetDecimal());
        var repeated = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Buy","quantity":0.05,"algorithm":"twap","slices":5,"duration":"00:25:00","clientOrderId":"twap-1"}
            """));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(0.05m, (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions")[0].GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task A_working_parent_can_be_amended_and_cancelled()
    {
        using var factory = Start("600");
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForAPrice(http);

        // 10 slices over 50 minutes at 600× (a bar every half second): the first child goes at once.
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Sell","quantity":0.1,"algorithm":"twap","slices":10,"duration":"00:50:00","clientOrderId":"slow"}
            """))).StatusCode);

        var amended = await http.PatchAsync("/api/v1/orders/BTCUSDT-manual-slow", Json("""{"quantity":0.2}"""));
        Assert.Equal(HttpStatusCode.OK, amended.StatusCode);
        Assert.Equal(0.2m, (await amended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quantity").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, (await http.PatchAsync("/api/v1/orders/BTCUSDT-manual-slow", Json("""{"quantity":0.001}"""))).StatusCode);

        var cancelled = await http.DeleteAsync("/api/v1/orders/BTCUSDT-manual-slow");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var order = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        var sent = order.GetProperty("sentQuantity").GetDecimal();
        Assert.InRange(sent, 0.02m, 0.2m);

        // Nothing more is sent after the cancel, and the filled part stands in the portfolio.
        await Task.Delay(1_500);
        var later = await http.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-slow");
        Assert.Equal(sent, later.GetProperty("sentQuantity").GetDecimal());
        Assert.Equal(-later.GetProperty("filledQuantity").GetDecimal(),
            (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions")[0].GetProperty("quantity").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, (await http.DeleteAsync("/api/v1/orders/BTCUSDT-manual-slow")).StatusCode);
    }

    [Fact]
    public async Task Invalid_orders_get_400_naming_each_field_and_unknown_ids_404()
    {
        using var factory = Start("0");
        var http = factory.CreateClient(ApiRole.Trader);

        var invalid = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"btc-usd","quantity":-1,"algorithm":"twap","slices":0,"duration":"00:00:00","randomization":1.5,"clientOrderId":"bad id!"}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var fields = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order();
        Assert.Equal(["clientOrderId", "duration", "quantity", "randomization", "side", "slices", "symbol"], fields);

        var unknownAlgorithm = await http.PostAsync("/api/v1/orders", Json("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"algorithm":"iceberg"}"""));
        Assert.True((await unknownAlgorithm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("algorithm", out _));

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/orders/BTCUSDT-manual-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/v1/orders/not-an-order")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClient(ApiRole.Viewer).PostAsync("/api/v1/orders", Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_limit_order_rests_at_its_limit_and_fills_there_once_the_replay_trades_through_it()
    {
        using var factory = Start("3000");
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForAPrice(http);

        // 20 bps below the last close: it rests, and the children's limit is the one the order shows.
        var created = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Buy","quantity":0.01,"orderType":"Limit","limitOffsetBps":20,"clientOrderId":"dip"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var placed = await created.Content.ReadFromJsonAsync<JsonElement>();
        var limit = placed.GetProperty("limitPrice").GetDecimal();
        Assert.Equal(("Limit", "Gtc"), (placed.GetProperty("orderType").GetString(), placed.GetProperty("timeInForce").GetString()));

        var filled = await Eventually.Returns(
            () => http.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-dip"),
            o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromMinutes(1), "a bar to trade through the limit");

        // Filled in full at the limit, or better if a bar opened through it; never worse, and never on the bar it was decided on.
        var fill = filled.GetProperty("fills").EnumerateArray().Single();
        Assert.Equal(0.01m, fill.GetProperty("quantity").GetDecimal());
        Assert.True(fill.GetProperty("price").GetDecimal() <= limit, $"filled at {fill.GetProperty("price")} above the limit {limit}");
        Assert.True(fill.GetProperty("filledAt").GetDateTimeOffset() >= placed.GetProperty("marketTime").GetDateTimeOffset());
        Assert.Equal(0.01m, (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions")[0].GetProperty("quantity").GetDecimal());

        // An IOC far from the market expires at once; a limit maker that would take is refused by the venue.
        var ioc = await (await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Sell","quantity":0.01,"orderType":"Limit","limitOffsetBps":500,"timeInForce":"Ioc"}
            """))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Cancelled", 0m), (ioc.GetProperty("status").GetString(), ioc.GetProperty("filledQuantity").GetDecimal()));
        var maker = await (await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Sell","quantity":0.01,"orderType":"LimitMaker","limitOffsetBps":-100}
            """))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rejected", maker.GetProperty("status").GetString());
        Assert.Contains("would immediately match and take", maker.GetProperty("rejectReason").GetString());
    }

    [Fact]
    public async Task A_passive_twap_placed_over_rest_rests_its_slices_post_only_and_fills_exactly_its_quantity_never_above_a_resting_limit()
    {
        using var factory = Start("3000");
        var http = factory.CreateClient(ApiRole.Trader);
        await WaitForAPrice(http);

        var created = await http.PostAsync("/api/v1/orders", Json("""
            {"symbol":"BTCUSDT","side":"Buy","quantity":0.03,"algorithm":"twap","slices":3,"duration":"00:15:00","passive":true,"clientOrderId":"passive"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var placed = await created.Content.ReadFromJsonAsync<JsonElement>();
        var first = placed.GetProperty("children")[0];
        Assert.Equal((true, "LimitMaker"), (placed.GetProperty("passive").GetBoolean(), first.GetProperty("limit").GetProperty("type").GetString()));
        Assert.Equal(first.GetProperty("touch").GetDecimal(), first.GetProperty("limit").GetProperty("price").GetDecimal());

        var order = await Eventually.Returns(
            () => http.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-passive"),
            o => o.GetProperty("status").GetString() == "Filled", TimeSpan.FromMinutes(1), "the passive TWAP to finish");

        // Each child rested post-only at its touch or crossed at market; what rested filled at its limit or better.
        var children = order.GetProperty("children").EnumerateArray().ToDictionary(c => c.GetProperty("clientOrderId").GetString()!);
        Assert.All(children.Values, c => Assert.True(c.GetProperty("limit").ValueKind == JsonValueKind.Null || c.GetProperty("limit").GetProperty("type").GetString() == "LimitMaker"));
        var fills = order.GetProperty("fills").EnumerateArray().ToArray();
        Assert.All(fills, f =>
        {
            var limit = children[f.GetProperty("clientOrderId").GetString()!].GetProperty("limit");
            Assert.True(limit.ValueKind == JsonValueKind.Null || f.GetProperty("price").GetDecimal() <= limit.GetProperty("price").GetDecimal());
        });
        Assert.Equal(0.03m, fills.Sum(f => f.GetProperty("quantity").GetDecimal()));
        Assert.Equal(0.03m, order.GetProperty("filledQuantity").GetDecimal());
        Assert.Equal(0.03m, (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions")[0].GetProperty("quantity").GetDecimal());
    }

    [Fact]
    public async Task Invalid_limit_terms_get_400_naming_each_field()
    {
        using var factory = Start("0");
        var http = factory.CreateClient(ApiRole.Trader);

        async Task<string[]> BadFields(string body)
        {
            var response = await http.PostAsync("/api/v1/orders", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order()];
        }

        Assert.Equal(["limitPrice"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"orderType":"Limit"}"""));
        Assert.Equal(["limitPrice"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"orderType":"Limit","limitPrice":100,"limitOffsetBps":5}"""));
        Assert.Equal(["limitPrice"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"orderType":"Limit","limitPrice":-1}"""));
        Assert.Equal(["limitOffsetBps", "timeInForce"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"limitOffsetBps":5,"timeInForce":"Ioc"}"""));
        Assert.Equal(["timeInForce"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"orderType":"LimitMaker","limitPrice":100,"timeInForce":"Fok"}"""));
        Assert.Equal(["passive"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"algorithm":"vwap","passive":true}"""));
        Assert.Equal(["passive"], await BadFields("""{"symbol":"BTCUSDT","side":"Buy","quantity":1,"algorithm":"twap","orderType":"Limit","limitOffsetBps":5,"passive":true}"""));
    }
}
