using System.Text.Json;
using System.Text.Json.Nodes;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>exchangeInfo filters (the documented filter examples) applied to market orders before sending.</summary>
public sealed class BinanceSymbolRulesTests
{
    private static BinanceSymbolRules Rules(bool applyMinToMarket = true, string status = "TRADING")
    {
        var info = JsonNode.Parse(BinanceFixtures.Raw("exchangeInfo"))!;
        var entry = info["symbols"]![0]!;
        entry["symbol"] = "BTCUSDT";
        entry["status"] = status;
        var notional = JsonNode.Parse(BinanceFixtures.Raw("filter_NOTIONAL"))!;
        notional["applyMinToMarket"] = applyMinToMarket;
        entry["filters"] = new JsonArray(JsonNode.Parse(BinanceFixtures.Raw("filter_LOT_SIZE")), JsonNode.Parse(BinanceFixtures.Raw("filter_MARKET_LOT_SIZE")), notional);
        return BinanceSymbolRules.From(JsonDocument.Parse(info.ToJsonString()).RootElement, "BTCUSDT")!;
    }

    [Fact]
    public void The_documented_filters_give_step_bounds_and_minimum_value()
    {
        // LOT_SIZE/MARKET_LOT_SIZE: minQty 0.001, maxQty 100000, stepSize 0.001; NOTIONAL: minNotional 10.
        var rules = Rules();

        Assert.Equal((0.001m, 0.001m, 100_000m, 10m, 0m), (rules.StepSize, rules.MinQuantity, rules.MaxQuantity, rules.MinNotional, rules.MaxNotional));
    }

    [Fact]
    public void A_quantity_is_rounded_down_to_the_step()
    {
        Assert.Equal(0.123m, Rules().Prepare(0.12399m, 30_000m).Quantity);
    }

    [Theory]
    [InlineData(0.0009, 30_000, "rounds down to 0 at step 0.001")]
    [InlineData(0.0003, 30_000, "below the minimum 0.001")]
    [InlineData(150_000, 1, "above the maximum")]
    [InlineData(0.002, 4_000, "value 8 is below the minimum notional 10")]
    public void An_order_a_filter_would_reject_is_refused_locally_with_the_reason(double quantity, double price, string reason)
    {
        var (sent, problem) = Rules().Prepare((decimal)quantity, (decimal)price);

        Assert.Null(sent);
        Assert.StartsWith("not sent to binance: ", problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_notional_minimum_that_does_not_apply_to_market_orders_is_not_applied()
    {
        Assert.Equal(0.002m, Rules(applyMinToMarket: false).Prepare(0.002m, 4_000m).Quantity);
    }

    [Fact]
    public void A_symbol_that_is_not_trading_takes_no_order()
    {
        Assert.Contains("BREAK", Rules(status: "BREAK").Prepare(1m, 30_000m).Problem);
    }
}
