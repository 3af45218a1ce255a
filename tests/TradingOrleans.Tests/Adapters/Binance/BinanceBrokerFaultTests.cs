using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;
using Fault = TradingOrleans.Tests.Support.FakeBinanceExchange.Fault;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// The Binance broker against a local Binance-speaking exchange with faults injected. Each test asserts the three
/// promises: no duplicate order at the venue, no lost fill (our fills are exactly the venue's trades), and the
/// position those fills make equals what the venue executed.
/// </summary>
public sealed class BinanceBrokerFaultTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private FakeBinanceExchange _exchange = null!;
    private BinanceBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _exchange = await FakeBinanceExchange.StartAsync();
        _broker = new BinanceBroker(Options(_exchange), TimeProvider.System, new Logger<BinanceBroker>(new LoggerFactory([_logs])));
    }

    public async Task DisposeAsync()
    {
        _broker.Dispose();
        await _exchange.DisposeAsync();
    }

    internal static BinanceBrokerOptions Options(FakeBinanceExchange exchange) => new()
    {
        Enabled = true,
        RestBaseUrl = exchange.RestUrl,
        WebSocketApiUrl = exchange.WebSocketApiUrl,
        ApiKey = FakeBinanceExchange.ApiKey,
        SecretKey = FakeBinanceExchange.SecretKey,
        RecvWindowMilliseconds = 1_500,
        RequestTimeout = TimeSpan.FromSeconds(2), // generous: a cold first request on a busy 2-core machine is slow
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        CircuitMinimumThroughput = 4,
        CircuitBreakDuration = TimeSpan.FromSeconds(1),
        StreamReconnectDelay = TimeSpan.FromMilliseconds(100),
        Symbols = ["BTCUSDT"],
    };

    private static OrderRequest Order(string id, decimal quantity = 0.01m) => new(id, "BTCUSDT", OrderSide.Buy, quantity, 30_000m, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_market_order_fills_from_the_full_response_with_the_venues_trade_ids_and_quote_fees()
    {
        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-1-1-1", 0.0123m), CancellationToken.None);

        // 0.0123 rounds down to the 0.001 step: 0.012, filled as 0.006 + 0.006 at 30,000; fee 0.1 % in USDT.
        Assert.Equal(OrderStatus.Filled, ack.Status);
        var venueOrder = Assert.Single(_exchange.Orders);
        Assert.Equal(0.012m, venueOrder.Quantity);
        Assert.Equal(venueOrder.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture), ack.BrokerOrderId);
        Assert.Equal([(0.006m, 30_000m, 0.18m), (0.006m, 30_000m, 0.18m)], ack.Fills.Select(f => (f.Quantity, f.Price, f.Fee)));
        AssertNoDuplicateNoLostFill("BTCUSDT-1-1-1", ack);
    }

    [Fact]
    public async Task Sending_an_id_again_after_its_order_filled_returns_that_order_instead_of_trading_twice()
    {
        // Binance refuses a repeated client order id only while the first order is open: once it has filled, a second
        // send would be a second order. The broker must not depend on the venue for idempotency.
        var first = await _broker.PlaceOrderAsync(Order("BTCUSDT-9-1-1"), CancellationToken.None);
        var again = await _broker.PlaceOrderAsync(Order("BTCUSDT-9-1-1"), CancellationToken.None);

        Assert.Equal(OrderStatus.Filled, first.Status);
        Assert.Equal((first.Status, first.BrokerOrderId), (again.Status, again.BrokerOrderId));
        Assert.Equal(first.Fills.Select(f => f.FillId), again.Fills.Select(f => f.FillId));
        AssertNoDuplicateNoLostFill("BTCUSDT-9-1-1", again);
    }

    [Theory]
    [InlineData(Fault.TimeoutAfterAccept)]
    [InlineData(Fault.ServerErrorAfterAccept)]
    [InlineData(Fault.MalformedAfterAccept)]
    public async Task An_order_accepted_before_the_answer_was_lost_is_found_by_its_client_order_id_not_sent_again(Fault fault)
    {
        _exchange.SlowAnswer = TimeSpan.FromSeconds(3);
        _exchange.Enqueue(fault);

        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-2-1-1"), CancellationToken.None);

        Assert.True(ack.Status == OrderStatus.Filled, $"{ack.Status}: {ack.RejectReason}\n{string.Join('\n', _logs.Lines)}");
        Assert.Single(_exchange.Log); // one POST: the lookup found it
        AssertNoDuplicateNoLostFill("BTCUSDT-2-1-1", ack);
    }

    [Fact]
    public async Task An_order_that_never_arrived_is_sent_again_with_the_same_id_once_its_recv_window_has_closed()
    {
        _exchange.Enqueue(Fault.ServerErrorBeforeAccept);

        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-3-1-1"), CancellationToken.None);

        Assert.Equal(OrderStatus.Filled, ack.Status);
        Assert.Equal(["POST /api/v3/order BTCUSDT-3-1-1 → ServerErrorBeforeAccept", "POST /api/v3/order BTCUSDT-3-1-1 → None"], _exchange.Log);
        AssertNoDuplicateNoLostFill("BTCUSDT-3-1-1", ack);
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_then_the_order_goes_once()
    {
        _exchange.Enqueue(Fault.RateLimited);
        var started = DateTimeOffset.UtcNow;

        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-4-1-1"), CancellationToken.None);

        Assert.True(ack.Status == OrderStatus.Filled, $"{ack.Status}: {ack.RejectReason}; exchange saw {string.Join(", ", _exchange.Log)}");
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the second attempt waited for Retry-After: 1");
        Assert.Equal(2, _exchange.Log.Count);
        AssertNoDuplicateNoLostFill("BTCUSDT-4-1-1", ack);
    }

    [Fact]
    public async Task A_request_held_by_a_429_longer_than_the_request_timeout_is_sent_after_the_hold_not_taken_as_unanswered()
    {
        var options = Options(_exchange);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        using var broker = new BinanceBroker(options, TimeProvider.System, new Logger<BinanceBroker>(new LoggerFactory([_logs])));
        // A first order warms the order path on both sides: a cold first POST in a fresh process can take longer than
        // this test's timeout by itself (it is then looked up and found, which is not what this test is about).
        Assert.Equal(OrderStatus.Filled, (await broker.PlaceOrderAsync(Order("BTCUSDT-4-2-0"), CancellationToken.None)).Status);
        var queriesBefore = _exchange.OrderQueries;
        _exchange.Enqueue(Fault.RateLimited);

        var ack = await broker.PlaceOrderAsync(Order("BTCUSDT-4-2-1"), CancellationToken.None);

        // Held 1 s (Retry-After), twice the timeout, then sent and answered: no lookup, as nothing was in doubt.
        Assert.True(ack.Status == OrderStatus.Filled, $"{ack.Status}: {ack.RejectReason}; exchange saw {string.Join(", ", _exchange.Log)}");
        Assert.Equal(2, _exchange.Log.Count(l => l.Contains("BTCUSDT-4-2-1")));
        Assert.Equal(queriesBefore, _exchange.OrderQueries);
        AssertNoDuplicateNoLostFill("BTCUSDT-4-2-1", ack);
    }

    [Fact]
    public async Task A_timestamp_refusal_measures_the_clock_again_and_sends_the_order_once_more_under_its_id()
    {
        _exchange.Enqueue(Fault.TimestampOutsideRecvWindow);

        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-4-3-1"), CancellationToken.None);

        // -1021 is refused before the matching engine: nothing was executed, so sending again cannot trade twice.
        Assert.True(ack.Status == OrderStatus.Filled, $"{ack.Status}: {ack.RejectReason}; exchange saw {string.Join(", ", _exchange.Log)}");
        Assert.Equal(["TimestampOutsideRecvWindow", "None"], _exchange.Log.Select(l => l.Split("→ ")[1]));
        AssertNoDuplicateNoLostFill("BTCUSDT-4-3-1", ack);
    }

    [Fact]
    public async Task A_418_stops_all_sending_until_the_ban_ends()
    {
        _exchange.Enqueue(Fault.Banned);

        var banned = await _broker.PlaceOrderAsync(Order("BTCUSDT-5-1-1"), CancellationToken.None);
        var next = await _broker.PlaceOrderAsync(Order("BTCUSDT-5-2-1"), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, banned.Status);
        Assert.Contains("banned this IP until", banned.RejectReason);
        Assert.False(_broker.IsAvailable);
        Assert.True(_broker.Client.BannedUntil > DateTimeOffset.UtcNow.AddSeconds(100)); // Retry-After: 120
        Assert.Equal(OrderStatus.Rejected, next.Status);
        Assert.Contains("IP banned", next.RejectReason);
        Assert.Single(_exchange.Log); // the second order never left
        Assert.Empty(_exchange.Orders);
    }

    [Fact]
    public async Task A_market_order_that_exhausts_the_book_ends_expired_with_its_partial_fill()
    {
        _exchange.Enqueue(Fault.PartialThenExpire);

        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-6-1-1", 0.05m), CancellationToken.None);

        Assert.Equal(OrderStatus.Cancelled, ack.Status);
        Assert.Equal(0.02m, ack.VenueFilledQuantity);
        Assert.Contains("EXPIRED: filled 0.02", ack.RejectReason);
        AssertNoDuplicateNoLostFill("BTCUSDT-6-1-1", ack);
    }

    [Fact]
    public async Task An_order_below_the_filters_is_refused_without_a_request()
    {
        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-7-1-1", 0.0002m), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, ack.Status);
        Assert.StartsWith("not sent to binance: quantity 0.0002 rounds down to 0", ack.RejectReason);
        Assert.Empty(_exchange.Log);
    }

    [Fact]
    public async Task Fills_that_came_later_are_all_found_by_a_query()
    {
        _exchange.Enqueue(Fault.FillsLater);
        var ack = await _broker.PlaceOrderAsync(Order("BTCUSDT-8-1-1", 0.03m), CancellationToken.None);
        Assert.Equal(OrderStatus.New, ack.Status);

        await _exchange.TradeAsync("BTCUSDT-8-1-1", 0.01m);
        var partial = await _broker.QueryOrderAsync(Order("BTCUSDT-8-1-1", 0.03m), CancellationToken.None);
        await _exchange.TradeAsync("BTCUSDT-8-1-1", 0.02m);
        var filled = await _broker.QueryOrderAsync(Order("BTCUSDT-8-1-1", 0.03m), CancellationToken.None);

        Assert.Equal((OrderStatus.PartiallyFilled, 0.01m), (partial!.Status, partial.Fills.Sum(f => f.Quantity)));
        Assert.Equal(OrderStatus.Filled, filled!.Status);
        AssertNoDuplicateNoLostFill("BTCUSDT-8-1-1", filled);
    }

    [Fact]
    public async Task When_the_venue_is_down_the_circuit_opens_nothing_is_guessed_and_a_query_settles_the_order_once_it_is_back()
    {
        await _broker.PlaceOrderAsync(Order("BTCUSDT-9-0-1"), CancellationToken.None); // exchange rules and clock known
        _exchange.Down = true;

        var unknown = await _broker.PlaceOrderAsync(Order("BTCUSDT-9-1-1"), CancellationToken.None);
        var refused = await _broker.PlaceOrderAsync(Order("BTCUSDT-9-2-1"), CancellationToken.None);

        // The POST and three lookups failed: the outcome is unknown, so the order is neither resent nor called rejected.
        Assert.Equal(OrderStatus.New, unknown.Status);
        Assert.Contains("outcome unknown", unknown.RejectReason);
        Assert.False(_broker.IsAvailable);
        Assert.Equal(OrderStatus.Rejected, refused.Status);
        Assert.Contains("circuit Open", refused.RejectReason);

        _exchange.Down = false;
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the 1 s break and the lost request's recvWindow (1.5 s + 1 s margin)
        Assert.True(_broker.IsAvailable);
        var settled = await _broker.QueryOrderAsync(Order("BTCUSDT-9-1-1"), CancellationToken.None);

        // The exchange never received it (503 before acceptance) and its recvWindow has closed: final, never placed.
        Assert.Equal(OrderStatus.Rejected, settled!.Status);
        Assert.Contains("never placed", settled.RejectReason);
        Assert.Equal(["BTCUSDT-9-0-1"], _exchange.Orders.Select(o => o.ClientOrderId));
    }

    [Fact]
    public async Task A_client_order_id_binance_cannot_take_maps_to_a_stable_one()
    {
        var longId = "BTCUSDT-manual-a-client-order-id-that-is-long-1";

        var ack = await _broker.PlaceOrderAsync(Order(longId), CancellationToken.None);

        var venueId = BinanceBroker.VenueClientOrderId(longId);
        Assert.Matches("^h-[0-9a-f]{34}$", venueId);
        Assert.Equal(venueId, Assert.Single(_exchange.Orders).ClientOrderId);
        Assert.Equal(longId, _broker.OurClientOrderId(venueId));
        Assert.All(ack.Fills, f => Assert.Equal(longId, f.ClientOrderId));
    }

    private void AssertNoDuplicateNoLostFill(string clientOrderId, OrderAck ack)
    {
        var venueOrder = Assert.Single(_exchange.Orders, o => o.ClientOrderId == clientOrderId);
        Assert.Equal(venueOrder.Trades.Select(t => $"binance-BTCUSDT-{t.TradeId}"), ack.Fills.Select(f => f.FillId));
        Assert.Equal(venueOrder.Executed, ack.Fills.Sum(f => f.Quantity));
        Assert.Equal(venueOrder.Executed, ack.VenueFilledQuantity);
    }
}
