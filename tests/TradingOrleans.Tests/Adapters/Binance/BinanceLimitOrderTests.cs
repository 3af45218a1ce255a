using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// Limit and limit-maker orders on a local Binance-speaking exchange (book at 30,000 unless told): the parameters each
/// order type is sent with, resting, expiring and rejected orders, and the price filters applied before sending with
/// rules that follow the exchange's changes.
/// </summary>
public sealed class BinanceLimitOrderTests : IAsyncLifetime
{
    private const string SentAndSigned = @"&recvWindow=1500&timestamp=\d{13}&signature=[0-9a-f]{64}$";

    private readonly CapturingLoggerProvider _logs = new();
    private FakeBinanceExchange _exchange = null!;
    private BinanceBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _exchange = await FakeBinanceExchange.StartAsync();
        _broker = Broker();
    }

    public async Task DisposeAsync()
    {
        _broker.Dispose();
        await _exchange.DisposeAsync();
    }

    private BinanceBroker Broker(TimeSpan? exchangeInfoRefreshInterval = null)
    {
        var options = BinanceBrokerFaultTests.Options(_exchange);
        options.ExchangeInfoRefreshInterval = exchangeInfoRefreshInterval ?? options.ExchangeInfoRefreshInterval;
        return new BinanceBroker(options, TimeProvider.System, new Logger<BinanceBroker>(new LoggerFactory([_logs])));
    }

    private static OrderRequest Order(string id, OrderSide side, decimal quantity, LimitTerms? limit) =>
        new(id, "BTCUSDT", side, quantity, 30_000m, DateTimeOffset.UtcNow, limit);

    private static OrderRequest Limit(string id, decimal price, TimeInForce timeInForce = TimeInForce.Gtc, OrderSide side = OrderSide.Buy, decimal quantity = 0.01m) =>
        Order(id, side, quantity, new LimitTerms(OrderType.Limit, price, timeInForce));

    private static OrderRequest LimitMaker(string id, decimal price, OrderSide side = OrderSide.Buy) =>
        Order(id, side, 0.01m, new LimitTerms(OrderType.LimitMaker, price));

    public static TheoryData<OrderRequest, string, OrderStatus> OrderTypes => new()
    {
        // Below the book for a buy, above it for a sell: nothing trades at once.
        { Limit("BTCUSDT-L-1-1", 29_000m), "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=29000&newClientOrderId=BTCUSDT-L-1-1&newOrderRespType=FULL", OrderStatus.New },
        { Limit("BTCUSDT-L-2-1", 29_999.5m, TimeInForce.Ioc), "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.01&price=29999.5&newClientOrderId=BTCUSDT-L-2-1&newOrderRespType=FULL", OrderStatus.Cancelled },
        { Limit("BTCUSDT-L-3-1", 31_000.25m, TimeInForce.Fok, OrderSide.Sell, 0.0123m), "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=FOK&quantity=0.012&price=31000.25&newClientOrderId=BTCUSDT-L-3-1&newOrderRespType=FULL", OrderStatus.Cancelled },
        { LimitMaker("BTCUSDT-L-4-1", 29_000m), "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.01&price=29000&newClientOrderId=BTCUSDT-L-4-1&newOrderRespType=FULL", OrderStatus.New },
        { LimitMaker("BTCUSDT-L-5-1", 30_000.000001m, OrderSide.Sell), "symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&quantity=0.01&price=30000.000001&newClientOrderId=BTCUSDT-L-5-1&newOrderRespType=FULL", OrderStatus.New },
    };

    [Theory]
    [MemberData(nameof(OrderTypes))]
    public async Task Each_order_type_is_sent_with_the_parameters_binance_asks_of_it(OrderRequest request, string parameters, OrderStatus status)
    {
        var ack = await _broker.PlaceOrderAsync(request, CancellationToken.None);

        // LIMIT: timeInForce, quantity, price; LIMIT_MAKER: quantity and price, no timeInForce (Binance answers -1106 to
        // one); the quantity rounded down to the 0.001 step; then the signature's parameters.
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(parameters) + SentAndSigned, Assert.Single(_exchange.NewOrderQueryStrings));
        Assert.True(ack.Status == status, $"{ack.Status}: {ack.RejectReason}");
        Assert.Empty(ack.Fills);
        Assert.Equal((0m, request.Quantity == 0.0123m ? 0.012m : request.Quantity), (ack.VenueFilledQuantity, ack.OrderedQuantity));
    }

    [Fact]
    public async Task A_resting_limit_order_stays_open_and_a_later_query_brings_its_fills_at_its_price()
    {
        var request = Limit("BTCUSDT-L-6-1", 29_500m);

        var ack = await _broker.PlaceOrderAsync(request, CancellationToken.None);
        Assert.Equal((OrderStatus.New, null), (ack.Status, ack.RejectReason)); // open at the venue, not an unknown outcome
        Assert.Equal(OrderStatus.New, (await _broker.QueryOrderAsync(request, CancellationToken.None))!.Status);

        await _exchange.TradeAsync("BTCUSDT-L-6-1", 0.004m);
        var partial = await _broker.QueryOrderAsync(request, CancellationToken.None);
        await _exchange.TradeAsync("BTCUSDT-L-6-1", 0.006m);
        var filled = await _broker.QueryOrderAsync(request, CancellationToken.None);

        Assert.Equal((OrderStatus.PartiallyFilled, 0.004m), (partial!.Status, partial.VenueFilledQuantity));
        Assert.Equal(OrderStatus.Filled, filled!.Status);
        Assert.Equal([(0.004m, 29_500m), (0.006m, 29_500m)], filled.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Single(_exchange.Orders);
    }

    [Fact]
    public async Task A_resting_limit_order_cancelled_keeps_what_it_filled()
    {
        var request = Limit("BTCUSDT-L-7-1", 29_500m);
        await _broker.PlaceOrderAsync(request, CancellationToken.None);
        await _exchange.TradeAsync("BTCUSDT-L-7-1", 0.003m);

        var cancelled = await _broker.CancelOrderAsync(request, CancellationToken.None);

        Assert.Equal((OrderStatus.Cancelled, 0.003m), (cancelled!.Status, cancelled.Fills.Sum(f => f.Quantity)));
        Assert.Contains("CANCELED: filled 0.003 of 0.01", cancelled.RejectReason);
    }

    [Fact]
    public async Task A_limit_maker_that_would_take_is_rejected_with_binances_message()
    {
        // A buy at 30,500 would trade at once against the book at 30,000: Binance refuses a LIMIT_MAKER that would take.
        var ack = await _broker.PlaceOrderAsync(LimitMaker("BTCUSDT-L-8-1", 30_500m), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, ack.Status);
        Assert.Equal("binance -2010: new order rejected by the matching engine (Order would immediately match and take.)", ack.RejectReason);
        Assert.Empty(_exchange.Orders);
        Assert.Equal(1, _exchange.ExchangeInfoRequests); // not a sign of stale rules
    }

    [Fact]
    public async Task An_ioc_order_fills_what_the_book_holds_at_once_and_expires_the_rest()
    {
        _exchange.Liquidity = 0.004m;

        var ack = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-9-1", 30_100m, TimeInForce.Ioc), CancellationToken.None);

        // 0.004 of 0.01 trades at the book's 30,000 (better than the 30,100 limit); the rest expires as Binance's EXPIRED.
        Assert.Equal(OrderStatus.Cancelled, ack.Status);
        Assert.Equal([(0.004m, 30_000m)], ack.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Equal((0.004m, 0.01m), (ack.VenueFilledQuantity, ack.OrderedQuantity));
        Assert.Equal("binance EXPIRED: filled 0.004 of 0.01", ack.RejectReason);
        var venueOrder = Assert.Single(_exchange.Orders);
        Assert.Equal(venueOrder.Trades.Select(t => $"binance-BTCUSDT-{t.TradeId}"), ack.Fills.Select(f => f.FillId));
    }

    [Fact]
    public async Task A_fok_order_the_book_cannot_fill_whole_expires_with_nothing()
    {
        _exchange.Liquidity = 0.004m;

        var ack = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-10-1", 30_100m, TimeInForce.Fok), CancellationToken.None);

        Assert.Equal((OrderStatus.Cancelled, 0m), (ack.Status, ack.VenueFilledQuantity));
        Assert.Empty(ack.Fills);
    }

    [Fact]
    public async Task A_limit_price_outside_percent_price_by_side_is_refused_before_sending_against_binances_average_price()
    {
        // PERCENT_PRICE_BY_SIDE of filters.md with avgPrice answering 25,000 (no reference price: -2043):
        //   buy:  0.2 × 25,000 = 5,000 ≤ price ≤ 1.2 × 25,000 = 30,000
        //   sell: 0.8 × 25,000 = 20,000 ≤ price ≤ 5 × 25,000 = 125,000
        _exchange.SetFilter(BinanceFixtures.Raw("filter_PERCENT_PRICE_BY_SIDE"));
        _exchange.AveragePrice = 25_000m;

        var tooHigh = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-11-1", 30_000.01m), CancellationToken.None);
        var tooLow = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-11-2", 19_999.99m, side: OrderSide.Sell), CancellationToken.None);
        var atTheEdge = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-11-3", 30_000m), CancellationToken.None);

        Assert.Equal("not sent to binance: limit price 30000.01 is above 30000, the 5-minute average price 25000 × bidMultiplierUp 1.2 (PERCENT_PRICE_BY_SIDE)", tooHigh.RejectReason);
        Assert.Equal("not sent to binance: limit price 19999.99 is below 20000, the 5-minute average price 25000 × askMultiplierDown 0.8 (PERCENT_PRICE_BY_SIDE)", tooLow.RejectReason);
        Assert.Equal(OrderStatus.Filled, atTheEdge.Status); // a buy at 30,000 takes the book at 30,000
        Assert.Equal(["BTCUSDT-L-11-3"], _exchange.Orders.Select(o => o.ClientOrderId));
    }

    [Fact]
    public async Task A_reference_price_when_the_symbol_has_one_is_what_percent_price_checks_against()
    {
        // Binance's filters use the symbol's reference price when it has one (filters.md): 1.2 × 20,000 = 24,000 for a buy.
        _exchange.SetFilter(BinanceFixtures.Raw("filter_PERCENT_PRICE_BY_SIDE"));
        _exchange.ReferencePrice = 20_000m;

        var ack = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-12-1", 24_000.5m), CancellationToken.None);

        Assert.Equal("not sent to binance: limit price 24000.5 is above 24000, the reference price 20000 × bidMultiplierUp 1.2 (PERCENT_PRICE_BY_SIDE)", ack.RejectReason);
        Assert.Empty(_exchange.NewOrderQueryStrings);
    }

    [Fact]
    public async Task A_symbol_that_is_not_trading_takes_no_order_of_any_type()
    {
        _exchange.SymbolStatus = "HALT";

        var market = await _broker.PlaceOrderAsync(Order("BTCUSDT-L-13-1", OrderSide.Buy, 0.01m, null), CancellationToken.None);
        var limit = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-13-2", 29_000m), CancellationToken.None);
        var maker = await _broker.PlaceOrderAsync(LimitMaker("BTCUSDT-L-13-3", 29_000m), CancellationToken.None);

        Assert.All([market, limit, maker], ack => Assert.Equal((OrderStatus.Rejected, "not sent to binance: BTCUSDT is HALT on binance, not TRADING"), (ack.Status, ack.RejectReason)));
        Assert.Empty(_exchange.NewOrderQueryStrings);
    }

    [Fact]
    public async Task A_filter_failure_reads_the_exchange_rules_again_so_the_next_order_is_refused_before_sending()
    {
        await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-14-1", 29_000m), CancellationToken.None); // rules loaded: minPrice 0.000001
        var readsBefore = _exchange.ExchangeInfoRequests;
        var priceFilter = System.Text.Json.Nodes.JsonNode.Parse(BinanceFixtures.Raw("filter_PRICE_FILTER"))!;
        priceFilter["minPrice"] = "29500.00000000";
        _exchange.SetFilter(priceFilter.ToJsonString());

        var refusedByBinance = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-14-2", 29_000m), CancellationToken.None);
        var refusedHere = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-14-3", 29_000m), CancellationToken.None);

        Assert.Equal("binance -1013: rejected by a symbol filter (Filter failure: PRICE_FILTER)", refusedByBinance.RejectReason);
        Assert.True(_exchange.ExchangeInfoRequests > readsBefore, "the -1013 made the broker read exchangeInfo again");
        Assert.Equal("not sent to binance: limit price 29000 is below the minimum price 29500 (PRICE_FILTER)", refusedHere.RejectReason);
        Assert.Equal(2, _exchange.NewOrderQueryStrings.Count); // the third never left
    }

    [Fact]
    public async Task A_market_closed_answer_reads_the_exchange_rules_again_so_a_halted_symbol_is_refused_before_sending()
    {
        await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-16-1", 29_000m), CancellationToken.None); // rules loaded: TRADING
        _exchange.SymbolStatus = "HALT";

        var refusedByBinance = await _broker.PlaceOrderAsync(Limit("BTCUSDT-L-16-2", 29_000m), CancellationToken.None);
        var refusedHere = await _broker.PlaceOrderAsync(Order("BTCUSDT-L-16-3", OrderSide.Buy, 0.01m, null), CancellationToken.None);

        Assert.Equal("binance -2010: new order rejected by the matching engine (Market is closed.)", refusedByBinance.RejectReason);
        Assert.Equal("not sent to binance: BTCUSDT is HALT on binance, not TRADING", refusedHere.RejectReason);
        Assert.Equal(2, _exchange.NewOrderQueryStrings.Count); // the third never left
    }

    [Fact]
    public async Task The_exchange_rules_are_read_again_every_refresh_interval_so_a_changed_filter_applies_without_a_failure_first()
    {
        using var broker = Broker(exchangeInfoRefreshInterval: TimeSpan.FromSeconds(1));
        Assert.Equal(OrderStatus.New, (await broker.PlaceOrderAsync(Limit("BTCUSDT-L-15-1", 29_000m), CancellationToken.None)).Status);
        var priceFilter = System.Text.Json.Nodes.JsonNode.Parse(BinanceFixtures.Raw("filter_PRICE_FILTER"))!;
        priceFilter["maxPrice"] = "25000.00000000";
        _exchange.SetFilter(priceFilter.ToJsonString());

        await Eventually.Returns(() => Task.FromResult(broker.KnownRules("BTCUSDT")!.PriceFilter.Max), max => max == 25_000m, TimeSpan.FromSeconds(10), "the refreshed PRICE_FILTER");
        var refused = await broker.PlaceOrderAsync(Limit("BTCUSDT-L-15-2", 29_000m), CancellationToken.None);

        Assert.Equal("not sent to binance: limit price 29000 is above the maximum price 25000 (PRICE_FILTER)", refused.RejectReason);
        Assert.Single(_exchange.NewOrderQueryStrings);
        Assert.Contains(_logs.Lines, l => l.Contains("Binance exchange rules of BTCUSDT changed"));
    }
}
