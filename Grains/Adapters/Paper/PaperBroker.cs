using System.Collections.Concurrent;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// A simulated venue: fills each market order at once and in full, slipped against the trader, fee charged; one
/// answer per client order id. Orders beyond its maximum quantity or below its minimum value are rejected.
/// </summary>
public sealed class PaperBroker(PaperVenueOptions venue, TimeProvider time) : IBroker
{
    private const int PriceDecimals = 8;
    private readonly ConcurrentDictionary<string, Lazy<OrderAck>> _orders = new(StringComparer.Ordinal);
    private long _sequence;

    public string Name => venue.Name;

    public VenueTerms Terms { get; } = new(venue.FeeBps, venue.SlippageBps, venue.MaxOrderQuantity, venue.MinNotional);

    public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        // Lazy makes the first request for an id the only one that fills, even when two race.
        var ack = _orders.GetOrAdd(request.ClientOrderId, _ => new Lazy<OrderAck>(() => Fill(request))).Value;
        return Task.FromResult(ack);
    }

    private OrderAck Fill(OrderRequest request)
    {
        var now = time.GetUtcNow();
        var brokerOrderId = $"{venue.Name}-{Interlocked.Increment(ref _sequence)}";
        string? problem = request.Quantity <= 0 || request.ReferencePrice <= 0
            ? $"quantity {request.Quantity} and reference price {request.ReferencePrice} must both be positive"
            : venue.MaxOrderQuantity > 0 && request.Quantity > venue.MaxOrderQuantity
                ? $"quantity {request.Quantity} exceeds {venue.Name}'s maximum of {venue.MaxOrderQuantity}"
                : request.Quantity * request.ReferencePrice < venue.MinNotional
                    ? $"notional {request.Quantity * request.ReferencePrice} is below {venue.Name}'s minimum of {venue.MinNotional}"
                    : null;
        if (problem is not null)
        {
            return new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Rejected, [], problem, now);
        }

        var slippage = venue.SlippageBps / 10_000m;
        var price = decimal.Round(request.ReferencePrice * (request.Side == OrderSide.Buy ? 1 + slippage : 1 - slippage), PriceDecimals);
        var fee = decimal.Round(request.Quantity * price * venue.FeeBps / 10_000m, PriceDecimals);
        var fill = new Fill($"{venue.Name}-{request.ClientOrderId}-1", request.ClientOrderId, request.Symbol, request.Side, request.Quantity, price, fee, now);
        return new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Filled, [fill], null, now);
    }
}
