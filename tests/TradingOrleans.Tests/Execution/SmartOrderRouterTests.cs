using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>Routing by effective price after costs, venue maxima and minima, and a routed order over REST.</summary>
public sealed class SmartOrderRouterTests
{
    private static readonly InstrumentRules Lot = new("BTCUSDT", 0.001m);

    private static VenueSnapshot Venue(string name, decimal fee, decimal slippage, decimal max = 0, decimal minNotional = 0) =>
        VenueSnapshot.Of(new PaperBroker(new PaperVenueOptions { Name = name, FeeBps = fee, SlippageBps = slippage, MaxOrderQuantity = max, MinNotional = minNotional },
            new FakeTimeProvider()));

    [Fact]
    public void A_buy_goes_to_the_cheapest_venue_after_costs_and_splits_at_its_maximum()
    {
        // At 30,000: a costs 10 + 2 bps → 30,036; b costs 5 + 0 bps → 30,015, but takes at most 0.5.
        VenueSnapshot[] venues = [Venue("a", 10, 2), Venue("b", 5, 0, max: 0.5m)];

        var (pieces, unrouted) = SmartOrderRouter.Route(OrderSide.Buy, 0.8m, 30_000m, venues, Lot);

        Assert.Equal([("b", 0.5m), ("a", 0.3m)], pieces.Select(p => (p.Venue.Name, p.Quantity)));
        Assert.Equal(0m, unrouted);
        Assert.StartsWith("b: effective 30015 (fee 5 bps, slippage 0 bps), rank 1 of 2; takes 0.5 of 0.8 (venue maximum 0.5)", pieces[0].Reason);
    }

    [Fact]
    public void A_sell_goes_to_the_venue_that_pays_most_after_costs()
    {
        // Selling at 30,000: a nets 30,000 × (1 − 12 bps) = 29,964, c nets 30,000 × (1 − 3 bps) = 29,991.
        VenueSnapshot[] venues = [Venue("a", 10, 2), Venue("c", 1, 2)];

        var (pieces, _) = SmartOrderRouter.Route(OrderSide.Sell, 1m, 30_000m, venues, Lot);

        Assert.Equal("c", Assert.Single(pieces).Venue.Name);
    }

    [Fact]
    public void Venues_that_cannot_take_the_order_are_skipped_and_the_rest_is_reported()
    {
        // b's minimum is 50,000 of value: 0.8 × 30,000 = 24,000 is too small there; a takes at most 0.6.
        VenueSnapshot[] venues = [Venue("a", 10, 2, max: 0.6m), Venue("b", 1, 0, minNotional: 50_000m)];

        var (pieces, unrouted) = SmartOrderRouter.Route(OrderSide.Buy, 0.8m, 30_000m, venues, Lot);

        Assert.Equal([("a", 0.6m)], pieces.Select(p => (p.Venue.Name, p.Quantity)));
        Assert.Equal(0.2m, unrouted);
    }

    [Fact]
    public async Task An_order_over_rest_is_split_across_paper_venues_with_each_routing_decision_recorded()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, "2021-01-01T00:00:00Z", "2021-01-01T06:00:00Z", "BTCUSDT");
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Broker:Paper:Venues:0:Name"] = "paper-a";
        settings["Trading:Broker:Paper:Venues:0:FeeBps"] = "10";
        settings["Trading:Broker:Paper:Venues:1:Name"] = "paper-b";
        settings["Trading:Broker:Paper:Venues:1:FeeBps"] = "5";
        settings["Trading:Broker:Paper:Venues:1:MaxOrderQuantity"] = "0.05";
        using var factory = new TradingApiFactory(settings);
        var http = factory.CreateClient(ApiRole.Trader);
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio/equity-curve"), c => c.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the first replayed bar");

        var created = await http.PostAsync("/api/v1/orders", new StringContent(
            """{"symbol":"BTCUSDT","side":"Buy","quantity":0.08,"clientOrderId":"routed"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var order = await http.GetFromJsonAsync<JsonElement>("/api/v1/orders/BTCUSDT-manual-routed");
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        Assert.Equal([("BTCUSDT-manual-routed-1", "paper-b", 0.05m), ("BTCUSDT-manual-routed-2", "paper-a", 0.03m)],
            order.GetProperty("children").EnumerateArray().Select(c =>
                (c.GetProperty("clientOrderId").GetString(), c.GetProperty("venue").GetString(), c.GetProperty("quantity").GetDecimal())));
        var routing = order.GetProperty("routing").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.StartsWith("BTCUSDT-manual-routed-1 → paper-b: effective", routing[0]);
        Assert.Contains("rank 2 of 2", routing[1]);
        Assert.Equal(0.08m, (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("positions")[0].GetProperty("quantity").GetDecimal());
    }
}
