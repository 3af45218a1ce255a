using System.Collections.Concurrent;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// A simulated venue: fills each market order slipped against the trader, fee charged, one answer per client order
/// id. Without book depth an order fills in full at once; with <see cref="PaperVenueOptions.BookLevelQuantity"/> it
/// walks the levels of a simulated book and the rest expires (partial fill). Orders beyond its maximum quantity or
/// below its minimum value are rejected. An optional latency delays every answer on the injected clock.
/// </summary>
public sealed class PaperBroker(PaperVenueOptions venue, TimeProvider time) : IBroker
{
    private const int PriceDecimals = 8;
    private readonly ConcurrentDictionary<string, Lazy<OrderAck>> _orders = new(StringComparer.Ordinal);
    private long _sequence;

    public string Name => venue.Name;

    public VenueTerms Terms { get; } = new(venue.FeeBps, venue.SlippageBps, venue.MaxOrderQuantity, venue.MinNotional);

    /// <summary>A simulated venue is always reachable.</summary>
    public bool IsAvailable => true;

    public async Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (venue.Latency > TimeSpan.Zero)
        {
            await Task.Delay(venue.Latency, time, cancellationToken);
        }

        // Lazy makes the first request for an id the only one that fills, even when two race.
        return _orders.GetOrAdd(request.ClientOrderId, _ => new Lazy<OrderAck>(() => Fill(request))).Value;
    }

    public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_orders.TryGetValue(request.ClientOrderId, out var ack) ? ack.Value : null);

    /// <summary>Paper orders end when they are answered: there is never anything left to cancel.</summary>
    public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken) => QueryOrderAsync(request, cancellationToken);

    private OrderAck Fill(OrderRequest request)
    {
        var now = time.GetUtcNow();
        var brokerOrderId = $"{venue.Name}-{Interlocked.Increment(ref _sequence)}";
        if (Refusal(venue, request) is { } problem)
        {
            return new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Rejected, [], problem, now);
        }

        var fills = new List<Fill>();
        var remaining = request.Quantity;
        var levels = venue.BookLevelQuantity > 0 ? venue.BookLevels : 1;
        for (var level = 0; level < levels && remaining > 0; level++)
        {
            var quantity = venue.BookLevelQuantity > 0 ? Math.Min(remaining, venue.BookLevelQuantity) : remaining;
            var worse = (venue.SlippageBps + level * venue.LevelSpacingBps) / 10_000m;
            var price = decimal.Round(request.ReferencePrice * (request.Side == OrderSide.Buy ? 1 + worse : 1 - worse), PriceDecimals);
            var fee = decimal.Round(quantity * price * venue.FeeBps / 10_000m, PriceDecimals);
            fills.Add(new Fill($"{venue.Name}-{request.ClientOrderId}-{level + 1}", request.ClientOrderId, request.Symbol, request.Side, quantity, price, fee, now));
            remaining -= quantity;
        }

        return remaining == 0
            ? new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Filled, fills, null, now)
            : new OrderAck(request.ClientOrderId, brokerOrderId, OrderStatus.Cancelled, fills,
                $"expired: {venue.Name}'s book held {request.Quantity - remaining} over {levels} levels; {remaining} unfilled", now);
    }

    /// <summary>Why a paper venue rejects an order at once (its filters), or null when it takes it.</summary>
    internal static string? Refusal(PaperVenueOptions venue, OrderRequest request) =>
        request.Quantity <= 0 || request.ReferencePrice <= 0
            ? $"quantity {request.Quantity} and reference price {request.ReferencePrice} must both be positive"
            : venue.MaxOrderQuantity > 0 && request.Quantity > venue.MaxOrderQuantity
                ? $"quantity {request.Quantity} exceeds {venue.Name}'s maximum of {venue.MaxOrderQuantity}"
                : request.Quantity * request.ReferencePrice < venue.MinNotional
                    ? $"notional {request.Quantity * request.ReferencePrice} is below {venue.Name}'s minimum of {venue.MinNotional}"
                    : null;
}
