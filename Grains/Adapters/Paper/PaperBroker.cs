using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>Simulated venue: fills each market order at once and in full, slipped against the trader, fee charged; one answer per client order id.</summary>
public sealed class PaperBroker(IOptions<PaperBrokerOptions> options, TimeProvider time) : IBroker
{
    private const int PriceDecimals = 8;
    private readonly ConcurrentDictionary<string, Lazy<OrderAck>> _orders = new(StringComparer.Ordinal);
    private long _sequence;

    public string Name => "paper";

    public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        // Lazy makes the first request for an id the only one that fills, even when two race.
        var ack = _orders.GetOrAdd(request.ClientOrderId, _ => new Lazy<OrderAck>(() => Fill(request))).Value;
        return Task.FromResult(ack);
    }

    private OrderAck Fill(OrderRequest request)
    {
        var now = time.GetUtcNow();
        var brokerOrderId = $"paper-{Interlocked.Increment(ref _sequence)}";
        if (request.Quantity <= 0 || request.ReferencePrice <= 0)
        {
            return new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Rejected, [],
                $"quantity {request.Quantity} and reference price {request.ReferencePrice} must both be positive", now);
        }

        var settings = options.Value;
        var slippage = settings.SlippageBps / 10_000m;
        var price = decimal.Round(request.ReferencePrice * (request.Side == OrderSide.Buy ? 1 + slippage : 1 - slippage), PriceDecimals);
        var fee = decimal.Round(request.Quantity * price * settings.FeeBps / 10_000m, PriceDecimals);
        var fill = new Fill($"paper-{request.ClientOrderId}-1", request.ClientOrderId, request.Symbol, request.Side, request.Quantity, price, fee, now);
        return new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Filled, [fill], null, now);
    }
}
