using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

public sealed class PaperBrokerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static PaperBroker Broker(decimal feeBps = 10m, decimal slippageBps = 2m) =>
        new(Options.Create(new PaperBrokerOptions { FeeBps = feeBps, SlippageBps = slippageBps }), new FakeTimeProvider(Now));

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
    public async Task The_same_client_order_id_returns_the_first_answer_and_fills_once()
    {
        var broker = Broker();

        var first = await broker.PlaceOrderAsync(Order(OrderSide.Buy), CancellationToken.None);
        var retry = await broker.PlaceOrderAsync(Order(OrderSide.Buy, quantity: 9m), CancellationToken.None);
        var other = await broker.PlaceOrderAsync(Order(OrderSide.Buy, id: "o-2"), CancellationToken.None);

        Assert.Same(first, retry);
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
}
