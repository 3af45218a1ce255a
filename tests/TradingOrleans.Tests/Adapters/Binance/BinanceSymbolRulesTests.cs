using System.Text.Json;
using System.Text.Json.Nodes;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>exchangeInfo filters (the documented filter examples) applied to market and limit orders before sending.</summary>
public sealed class BinanceSymbolRulesTests
{
    private static readonly BinanceAveragePrice Average10k = new(10_000m, "5-minute average price");

    private static JsonNode Filter(string name) => JsonNode.Parse(BinanceFixtures.Raw($"filter_{name}"))!;

    /// <summary>
    /// A symbol with the documented PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE and NOTIONAL filters (NOTIONAL's minimum
    /// applied to market orders unless told), each filter of <paramref name="filters"/> in place of the one of its type.
    /// </summary>
    private static BinanceSymbolRules Rules(bool applyMinToMarket = true, string status = "TRADING", params JsonNode[] filters)
    {
        var info = JsonNode.Parse(BinanceFixtures.Raw("exchangeInfo"))!;
        var entry = info["symbols"]![0]!;
        entry["symbol"] = "BTCUSDT";
        entry["status"] = status;
        var notional = Filter("NOTIONAL");
        notional["applyMinToMarket"] = applyMinToMarket;
        JsonNode[] documented = [Filter("PRICE_FILTER"), Filter("LOT_SIZE"), Filter("MARKET_LOT_SIZE"), notional];
        var given = filters.Select(f => f["filterType"]!.GetValue<string>()).ToHashSet();
        entry["filters"] = new JsonArray([.. documented.Where(f => !given.Contains(f["filterType"]!.GetValue<string>())), .. filters]);
        return BinanceSymbolRules.From(JsonDocument.Parse(info.ToJsonString()).RootElement, "BTCUSDT")!;
    }

    [Fact]
    public void The_documented_filters_give_lots_price_bounds_and_value_bounds()
    {
        // LOT_SIZE/MARKET_LOT_SIZE: minQty 0.001, maxQty 100000, stepSize 0.001; PRICE_FILTER: 0.000001 to 100000, tick
        // 0.000001; NOTIONAL: 10 to 10000, its minimum applied to market orders here, its maximum not.
        var rules = Rules(filters: Filter("PERCENT_PRICE_BY_SIDE"));

        Assert.Equal(new BinanceLot(0.001m, 0.001m, 100_000m), rules.Lot);
        Assert.Equal(new BinanceLot(0.001m, 0.001m, 100_000m), rules.MarketLot);
        Assert.Equal(new BinancePriceFilter(0.000001m, 100_000m, 0.000001m), rules.PriceFilter);
        Assert.Equal(new BinanceNotional(10m, 10_000m), rules.Notional);
        Assert.Equal(new BinanceNotional(10m, 0m), rules.MarketNotional);
        Assert.Equal(new BinancePercentPrice(BySide: true, 1.2m, 0.2m, 5m, 0.8m), rules.PercentPriceBySide);
        Assert.Null(rules.PercentPrice);
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
    public void A_symbol_that_is_not_trading_takes_no_order_of_any_type()
    {
        var rules = Rules(status: "BREAK");

        Assert.Equal("not sent to binance: BTCUSDT is BREAK on binance, not TRADING", rules.Prepare(1m, 30_000m).Problem);
        Assert.Equal("not sent to binance: BTCUSDT is BREAK on binance, not TRADING", rules.PrepareLimit(OrderSide.Buy, 1m, 3_000m, null).Problem);
    }

    [Theory]
    // PRICE_FILTER of filters.md: minPrice 0.000001, maxPrice 100000, tickSize 0.000001.
    [InlineData(OrderSide.Buy, "100000", "100000", null)]
    [InlineData(OrderSide.Sell, "100000.000001", "100000.000001", "limit price 100000.000001 is above the maximum price 100000 (PRICE_FILTER)")]
    [InlineData(OrderSide.Sell, "0.0000005", "0.000001", null)] // up to the tick, on the minimum
    [InlineData(OrderSide.Buy, "0.0000015", "0.000001", null)] // down to the tick, on the minimum
    [InlineData(OrderSide.Buy, "0.0000005", "0", "limit price 0.0000005 rounds to 0 at tick 0.000001 (PRICE_FILTER)")]
    public void A_limit_price_is_put_on_the_tick_away_from_the_market_and_kept_within_the_price_filter(OrderSide side, string limit, string sent, string? reason)
    {
        // The minimum quantity 0.001 is worth the least at these prices: NOTIONAL's bounds are set to 0 (none) here.
        var notional = Filter("NOTIONAL");
        notional["minNotional"] = "0";
        notional["maxNotional"] = "0";
        var rules = Rules(filters: notional);

        var (quantity, price, problem) = rules.PrepareLimit(side, 0.001m, decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), null);

        Assert.Equal(decimal.Parse(sent, System.Globalization.CultureInfo.InvariantCulture), price);
        Assert.Equal(reason is null ? null : $"not sent to binance: {reason}", problem);
        Assert.Equal(reason is null ? 0.001m : null, quantity);
    }

    [Theory]
    [InlineData(OrderSide.Buy, "30000.019", "30000.01")]
    [InlineData(OrderSide.Sell, "30000.011", "30000.02")]
    [InlineData(OrderSide.Buy, "30000.02", "30000.02")]
    public void A_limit_price_off_a_coarser_tick_is_rounded_down_for_a_buy_and_up_for_a_sell(OrderSide side, string limit, string sent)
    {
        var priceFilter = Filter("PRICE_FILTER");
        priceFilter["tickSize"] = "0.01000000";
        var rules = Rules(filters: priceFilter);

        var (_, price, problem) = rules.PrepareLimit(side, 0.01m, decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), null);

        Assert.Null(problem);
        Assert.Equal(decimal.Parse(sent, System.Globalization.CultureInfo.InvariantCulture), price);
    }

    [Fact]
    public void A_limit_price_below_the_minimum_price_is_refused_naming_the_filter()
    {
        var priceFilter = Filter("PRICE_FILTER");
        priceFilter["minPrice"] = "1000.00000000";
        var rules = Rules(filters: priceFilter);

        Assert.Equal("not sent to binance: limit price 999.99 is below the minimum price 1000 (PRICE_FILTER)",
            rules.PrepareLimit(OrderSide.Buy, 0.02m, 999.99m, null).Problem);
    }

    [Theory]
    // PERCENT_PRICE_BY_SIDE of filters.md around an average price of 10,000 (quantity 0.01: 20 to 500 USDT, inside NOTIONAL):
    //   buy:  bidMultiplierDown 0.2 × 10,000 = 2,000  ≤ price ≤  bidMultiplierUp 1.2 × 10,000 = 12,000
    //   sell: askMultiplierDown 0.8 × 10,000 = 8,000  ≤ price ≤  askMultiplierUp 5 × 10,000 = 50,000
    [InlineData(OrderSide.Buy, "12000", null)]
    [InlineData(OrderSide.Buy, "2000", null)]
    [InlineData(OrderSide.Buy, "12000.000001", "limit price 12000.000001 is above 12000, the 5-minute average price 10000 × bidMultiplierUp 1.2 (PERCENT_PRICE_BY_SIDE)")]
    [InlineData(OrderSide.Buy, "1999.999999", "limit price 1999.999999 is below 2000, the 5-minute average price 10000 × bidMultiplierDown 0.2 (PERCENT_PRICE_BY_SIDE)")]
    [InlineData(OrderSide.Sell, "50000", null)]
    [InlineData(OrderSide.Sell, "8000", null)]
    [InlineData(OrderSide.Sell, "50000.000001", "limit price 50000.000001 is above 50000, the 5-minute average price 10000 × askMultiplierUp 5 (PERCENT_PRICE_BY_SIDE)")]
    [InlineData(OrderSide.Sell, "7999.999999", "limit price 7999.999999 is below 8000, the 5-minute average price 10000 × askMultiplierDown 0.8 (PERCENT_PRICE_BY_SIDE)")]
    public void Percent_price_by_side_bounds_a_buy_and_a_sell_by_their_own_multipliers(OrderSide side, string limit, string? reason)
    {
        var rules = Rules(filters: Filter("PERCENT_PRICE_BY_SIDE"));

        var problem = rules.PrepareLimit(side, 0.01m, decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), Average10k).Problem;

        Assert.Equal(reason is null ? null : $"not sent to binance: {reason}", problem);
    }

    [Theory]
    // PERCENT_PRICE of filters.md, the same range for both sides: 0.7 × 10,000 = 7,000 ≤ price ≤ 1.3 × 10,000 = 13,000.
    [InlineData(OrderSide.Buy, "13000.01", "limit price 13000.01 is above 13000, the 5-minute average price 10000 × multiplierUp 1.3 (PERCENT_PRICE)")]
    [InlineData(OrderSide.Sell, "6999.99", "limit price 6999.99 is below 7000, the 5-minute average price 10000 × multiplierDown 0.7 (PERCENT_PRICE)")]
    [InlineData(OrderSide.Sell, "13000", null)]
    public void Percent_price_bounds_both_sides_alike(OrderSide side, string limit, string? reason)
    {
        var rules = Rules(filters: Filter("PERCENT_PRICE"));

        var problem = rules.PrepareLimit(side, 0.01m, decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture), Average10k).Problem;

        Assert.Equal(reason is null ? null : $"not sent to binance: {reason}", problem);
    }

    [Fact]
    public void Notional_bounds_a_limit_order_at_its_price_whatever_they_say_of_market_orders()
    {
        // NOTIONAL's minimum 10 and maximum 10,000 leave market orders out (applyMinToMarket, applyMaxToMarket false), but
        // always bind a limit order, valued at its limit price.
        var rules = Rules(applyMinToMarket: false);

        Assert.Equal(0.001m, rules.Prepare(0.001m, 5_000m).Quantity);
        Assert.Equal("not sent to binance: value 5 at the limit price is below the minimum notional 10", rules.PrepareLimit(OrderSide.Buy, 0.001m, 5_000m, null).Problem);
        Assert.Equal(1m, rules.Prepare(1m, 20_000m).Quantity);
        Assert.Equal("not sent to binance: value 20000 at the limit price is above the maximum notional 10000", rules.PrepareLimit(OrderSide.Sell, 1m, 20_000m, null).Problem);
        Assert.Equal(((decimal?)0.002m, 5_000m, (string?)null), rules.PrepareLimit(OrderSide.Buy, 0.002m, 5_000m, null));
    }

    [Fact]
    public void Min_notional_binds_a_limit_order_even_where_it_does_not_apply_to_market_orders()
    {
        var minNotional = Filter("MIN_NOTIONAL");
        minNotional["minNotional"] = "20.00000000";
        minNotional["applyToMarket"] = false;
        var rules = Rules(applyMinToMarket: false, filters: minNotional);

        Assert.Equal(0.001m, rules.Prepare(0.001m, 15_000m).Quantity);
        Assert.Equal("not sent to binance: value 15 at the limit price is below the minimum notional 20", rules.PrepareLimit(OrderSide.Buy, 0.001m, 15_000m, null).Problem);
    }

    [Fact]
    public void A_limit_order_is_sized_by_lot_size_alone_not_market_lot_size()
    {
        var marketLot = Filter("MARKET_LOT_SIZE");
        marketLot["minQty"] = "0.01000000";
        marketLot["stepSize"] = "0.01000000";
        var rules = Rules(filters: marketLot);

        Assert.Equal("not sent to binance: quantity 0.005 rounds down to 0 at step 0.01, below the minimum 0.01 (LOT_SIZE/MARKET_LOT_SIZE)", rules.Prepare(0.005m, 30_000m).Problem);
        Assert.Equal(0.005m, rules.PrepareLimit(OrderSide.Buy, 0.005m, 30_000m, null).Quantity);
    }
}
