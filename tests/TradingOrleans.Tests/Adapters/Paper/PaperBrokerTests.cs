using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Adapters.Paper;

public sealed class PaperBrokerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static PaperBroker Broker(decimal feeBps = 10m, decimal slippageBps = 2m) =>
        new(new PaperVenueOptions { Name = "paper", FeeBps = feeBps, SlippageBps = slippageBps }, new FakeTimeProvider(Now));

    private static OrderRequest Order(OrderSide side, decimal quantity = 0.5m, decimal price = 20_000m, string id = "o-1") =>
        new(id, "BTCUSDT", side, quantity, price, Now);

    [Fact]
    public async Task Buy_fills_above_the_reference_by_the_slippage_and_pays_the_fee()
    {
        var ack = await Broker().PlaceOrderAsync(Order(OrderSide.Buy), CancellationToken.None);

        // 20,000 × (1 + 2/10,000) = 20,004; fee 0.5 × 20,004 × 10/10,000 = 10.002.
        var fill = Assert.Single(ack.Fills);
        Assert.Equal(OrderStatus.Filled, ack.Status);
        Assert.Equal((0.5m, 20_004m, 10.002m, Now), (fill.Quantity, fill.Price, fill.Fee, fill.FilledAt));
        Assert.Equal("paper-o-1-1", fill.FillId);
    }

    [Fact]
    public async Task Sell_fills_below_the_reference()
    {
        var fill = (await Broker().PlaceOrderAsync(Order(OrderSide.Sell), CancellationToken.None)).Fills[0];

        // 20,000 × (1 − 0.0002) = 19,996; fee 0.5 × 19,996 × 0.001 = 9.998.
        Assert.Equal((19_996m, 9.998m), (fill.Price, fill.Fee));
    }

    [Fact]
    public async Task Prices_and_fees_are_rounded_to_eight_decimals()
    {
        var broker = Broker();

        var buy = (await broker.PlaceOrderAsync(Order(OrderSide.Buy, 3m, 0.12345678m, "o-buy"), CancellationToken.None)).Fills[0];
        var sell = (await broker.PlaceOrderAsync(Order(OrderSide.Sell, 3m, 0.12345678m, "o-sell"), CancellationToken.None)).Fills[0];

        // Buy: 0.12345678 × 1.0002 = 0.123481471356 → 0.12348147; fee 3 × 0.12348147 × 0.001 = 0.00037044441 → 0.00037044.
        Assert.Equal((0.12348147m, 0.00037044m), (buy.Price, buy.Fee));
        // Sell: 0.12345678 × 0.9998 = 0.123432088644 → 0.12343209; fee 3 × 0.12343209 × 0.001 = 0.00037029627 → 0.0003703.
        Assert.Equal((0.12343209m, 0.0003703m), (sell.Price, sell.Fee));
    }

    [Fact]
    public async Task Without_costs_the_fill_is_at_the_reference_price_and_free()
    {
        var fill = (await Broker(feeBps: 0m, slippageBps: 0m).PlaceOrderAsync(Order(OrderSide.Sell), CancellationToken.None)).Fills[0];

        Assert.Equal((20_000m, 0m), (fill.Price, fill.Fee));
    }

    [Fact]
    public async Task A_fill_carries_the_order_it_belongs_to()
    {
        var ack = await Broker().PlaceOrderAsync(Order(OrderSide.Sell, id: "o-9"), CancellationToken.None);

        var fill = ack.Fills[0];
        Assert.Equal(("o-9", "BTCUSDT", OrderSide.Sell, "paper-o-9-1"), (fill.ClientOrderId, fill.Symbol, fill.Side, fill.FillId));
        Assert.Equal(("o-9", Now, (string?)null), (ack.ClientOrderId, ack.AcknowledgedAt, ack.RejectReason));
        Assert.StartsWith("paper-", ack.BrokerOrderId);
    }

    [Fact]
    public async Task The_same_client_order_id_returns_the_first_answer_and_fills_once()
    {
        var broker = Broker();

        var first = await broker.PlaceOrderAsync(Order(OrderSide.Buy), CancellationToken.None);
        var retry = await broker.PlaceOrderAsync(Order(OrderSide.Buy, quantity: 9m), CancellationToken.None);
        var other = await broker.PlaceOrderAsync(Order(OrderSide.Buy, id: "o-2"), CancellationToken.None);

        Assert.Equivalent(first, retry, strict: true);
        Assert.Equal(first.Fills[0], Assert.Single(retry.Fills));
        Assert.NotEqual(first.BrokerOrderId, other.BrokerOrderId);
    }

    [Fact]
    public async Task Racing_duplicates_produce_one_order()
    {
        var broker = Broker();

        var acks = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => broker.PlaceOrderAsync(Order(OrderSide.Buy), CancellationToken.None))));

        Assert.Single(acks.Select(a => a.BrokerOrderId).Distinct());
    }

    [Theory]
    [InlineData(0, 20_000)]
    [InlineData(1, 0)]
    public async Task Non_positive_quantity_or_price_is_rejected_with_a_reason(decimal quantity, decimal price)
    {
        var ack = await Broker().PlaceOrderAsync(Order(OrderSide.Buy, quantity, price), CancellationToken.None);

        Assert.Equal(OrderStatus.Rejected, ack.Status);
        Assert.Empty(ack.Fills);
        Assert.Contains("must both be positive", ack.RejectReason);
    }

    [Fact]
    public async Task A_rejected_client_order_id_stays_rejected()
    {
        var broker = Broker();

        var rejected = await broker.PlaceOrderAsync(Order(OrderSide.Buy, quantity: -1m), CancellationToken.None);
        var retry = await broker.PlaceOrderAsync(Order(OrderSide.Buy, quantity: 1m), CancellationToken.None);

        Assert.Equivalent(rejected, retry, strict: true);
        Assert.Equal(OrderStatus.Rejected, retry.Status);
        Assert.Contains("quantity -1", retry.RejectReason);
    }

    [Fact]
    public async Task With_book_depth_a_large_order_walks_the_levels_and_the_rest_expires()
    {
        var venue = new PaperVenueOptions { Name = "thin", FeeBps = 10m, SlippageBps = 2m, BookLevelQuantity = 0.2m, BookLevels = 2, LevelSpacingBps = 5m };
        var broker = new PaperBroker(venue, new FakeTimeProvider(Now));

        var ack = await broker.PlaceOrderAsync(Order(OrderSide.Buy, quantity: 0.5m), CancellationToken.None);

        // Level 1: 0.2 at 20,000 × 1.0002 = 20,004; level 2: 0.2 at 20,000 × 1.0007 = 20,014; 0.1 left unfilled.
        Assert.Equal(OrderStatus.Cancelled, ack.Status);
        Assert.Equal([(0.2m, 20_004m), (0.2m, 20_014m)], ack.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Equal(0.2m * 20_014m * 0.001m, ack.Fills[1].Fee);
        Assert.Contains("0.1 unfilled", ack.RejectReason);
        Assert.Equivalent(ack, await broker.QueryOrderAsync(Order(OrderSide.Buy, quantity: 0.5m), CancellationToken.None), strict: true);
    }

    [Fact]
    public async Task Latency_delays_the_answer_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Now);
        var broker = new PaperBroker(new PaperVenueOptions { Name = "slow", Latency = TimeSpan.FromMilliseconds(40) }, clock);

        var pending = broker.PlaceOrderAsync(Order(OrderSide.Sell), CancellationToken.None);
        Assert.False(pending.IsCompleted);
        Assert.Null(await broker.QueryOrderAsync(Order(OrderSide.Sell), CancellationToken.None));

        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(OrderStatus.Filled, (await pending).Status);
    }
}
