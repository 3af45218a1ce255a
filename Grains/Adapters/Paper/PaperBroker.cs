using System.Collections.Concurrent;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// A simulated venue that fills at once against the order's reference price: each market order slipped against the
/// trader, fee charged, one answer per client order id. Without book depth an order fills in full; with
/// <see cref="PaperVenueOptions.BookLevelQuantity"/> it walks the levels of a simulated book and the rest expires
/// (partial fill). Orders beyond its maximum quantity or below its minimum value are rejected. An optional latency
/// delays every answer on the injected clock.
/// </summary>
/// <remarks>
/// Limit orders take the levels their limit allows; what is left rests (GTC), expires (IOC), or the whole order expires
/// unless all of it fills (FOK). A limit maker that would fill at once is rejected, as Binance does. Resting orders fill
/// on their symbol's later bars by <see cref="LimitCrossing"/>, in full (the bar's volume is not shared out), as the
/// execution grain hands them over (<see cref="MatchRestingOrders"/>). Orders live in this process's memory: after a
/// restart the venue no longer has them, and a query for one is answered cancelled.
/// </remarks>
public sealed class PaperBroker(PaperVenueOptions venue, TimeProvider time) : IBroker, IRestingOrderVenue
{
    private const int PriceDecimals = 8;
    private readonly ConcurrentDictionary<string, Lazy<PaperOrder>> _orders = new(StringComparer.Ordinal);

    // Ids whose placement is under way (waiting out the latency): not known yet, but not lost either.
    private readonly ConcurrentDictionary<string, byte> _arriving = new(StringComparer.Ordinal);

    // Guards every order's fills and status, and the resting list: placements, queries and matches come from many grains at once.
    private readonly Lock _gate = new();
    private readonly List<PaperOrder> _resting = [];
    private long _sequence;

    public string Name => venue.Name;

    public VenueTerms Terms { get; } = new(venue.FeeBps, venue.SlippageBps, venue.MaxOrderQuantity, venue.MinNotional);

    /// <summary>A simulated venue is always reachable.</summary>
    public bool IsAvailable => true;

    public async Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (venue.Latency > TimeSpan.Zero && !_orders.ContainsKey(request.ClientOrderId))
        {
            _arriving[request.ClientOrderId] = 0;
            try
            {
                await Task.Delay(venue.Latency, time, cancellationToken);
            }
            finally
            {
                _arriving.TryRemove(request.ClientOrderId, out _);
            }
        }

        // Lazy makes the first request for an id the only one that fills, even when two race.
        var order = _orders.GetOrAdd(request.ClientOrderId, _ => new Lazy<PaperOrder>(() => Open(request))).Value;
        lock (_gate)
        {
            return order.Ack(time.GetUtcNow());
        }
    }

    /// <summary>The order as the venue has it; null while its placement is under way; cancelled when the venue never got it or lost it in a restart.</summary>
    public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (_orders.TryGetValue(request.ClientOrderId, out var order))
        {
            lock (_gate)
            {
                return Task.FromResult<OrderAck?>(order.Value.Ack(time.GetUtcNow()));
            }
        }

        return Task.FromResult<OrderAck?>(_arriving.ContainsKey(request.ClientOrderId)
            ? null
            : new OrderAck(request.ClientOrderId, "", OrderStatus.Cancelled, [],
                $"{venue.Name} has no order {request.ClientOrderId}: paper orders live in memory, so a restart ends what was resting", time.GetUtcNow()));
    }

    /// <summary>Cancels what is still resting; what filled stands.</summary>
    public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (_orders.TryGetValue(request.ClientOrderId, out var order))
        {
            lock (_gate)
            {
                if (order.Value.Status is OrderStatus.New or OrderStatus.PartiallyFilled)
                {
                    order.Value.End(OrderStatus.Cancelled, null);
                }
            }
        }

        return QueryOrderAsync(request, cancellationToken);
    }

    /// <summary>Fills this symbol's resting limit orders placed before <paramref name="bar"/> opened that it traded through.</summary>
    public IReadOnlyList<OrderAck> MatchRestingOrders(Candle bar)
    {
        List<OrderAck>? reports = null;
        lock (_gate)
        {
            for (var i = _resting.Count - 1; i >= 0; i--)
            {
                var order = _resting[i];
                if (!order.IsResting)
                {
                    _resting.RemoveAt(i); // cancelled
                    continue;
                }

                if (order.Request.Symbol != bar.Symbol || bar.OpenTime < order.Request.MarketTime
                    || LimitCrossing.FillPrice(order.Request.Limit!, order.Request.Side, bar, venue.SlippageBps) is not { } price)
                {
                    continue;
                }

                order.Fill(order.Remaining, price, Fee(order.Remaining, price), bar.OpenTime);
                _resting.RemoveAt(i);
                (reports ??= []).Add(order.Ack(time.GetUtcNow()));
            }
        }

        // Oldest first, as they were placed.
        reports?.Reverse();
        return reports ?? [];
    }

    private PaperOrder Open(OrderRequest request)
    {
        var now = time.GetUtcNow();
        var order = new PaperOrder(request, $"{venue.Name}-{Interlocked.Increment(ref _sequence)}", venue.Name);
        if (Refusal(venue, request) is { } problem)
        {
            order.End(OrderStatus.Rejected, problem);
            return order;
        }

        var levels = Levels(request);
        var takeable = levels.Sum(l => l.Quantity);
        if (request.Limit is { Type: OrderType.LimitMaker } && takeable > 0)
        {
            order.End(OrderStatus.Rejected, $"limit maker at {request.Limit.Price} would immediately match and take on {venue.Name}");
            order.WouldTake = true;
            return order;
        }

        if (request.Limit is { TimeInForce: TimeInForce.Fok } && takeable < request.Quantity)
        {
            order.End(OrderStatus.Cancelled, $"expired: fill or kill, {venue.Name} had {takeable} of {request.Quantity} at {request.Limit.Price} or better");
            return order;
        }

        foreach (var (quantity, price) in levels)
        {
            order.Fill(quantity, price, Fee(quantity, price), now);
        }

        if (order.Remaining > 0 && (request.Limit is null || request.Limit is { Type: OrderType.Limit, TimeInForce: not TimeInForce.Gtc }))
        {
            order.End(OrderStatus.Cancelled, request.Limit is null
                ? $"expired: {venue.Name}'s book held {takeable} over {venue.BookLevels} levels; {order.Remaining} unfilled"
                : $"expired: {request.Limit.TimeInForce} at {request.Limit.Price}, {order.Remaining} unfilled");
        }
        else if (order.IsResting)
        {
            lock (_gate)
            {
                _resting.Add(order);
            }
        }

        return order;
    }

    /// <summary>What the simulated book gives the order now: each level's quantity and price, as far as its limit allows.</summary>
    private List<(decimal Quantity, decimal Price)> Levels(OrderRequest request)
    {
        var levels = new List<(decimal, decimal)>();
        var remaining = request.Quantity;
        var count = venue.BookLevelQuantity > 0 ? venue.BookLevels : 1;
        for (var level = 0; level < count && remaining > 0; level++)
        {
            var price = LimitCrossing.Slipped(request.ReferencePrice, request.Side, venue.SlippageBps + level * venue.LevelSpacingBps);
            if (request.Limit is { } limit && !limit.Allows(request.Side, price))
            {
                break;
            }

            var quantity = venue.BookLevelQuantity > 0 ? Math.Min(remaining, venue.BookLevelQuantity) : remaining;
            levels.Add((quantity, price));
            remaining -= quantity;
        }

        return levels;
    }

    private decimal Fee(decimal quantity, decimal price) => decimal.Round(quantity * price * venue.FeeBps / 10_000m, PriceDecimals);

    /// <summary>Why a paper venue rejects an order at once (its filters), or null when it takes it. A limit order is valued at its limit.</summary>
    internal static string? Refusal(PaperVenueOptions venue, OrderRequest request)
    {
        var price = request.Limit?.Price ?? request.ReferencePrice;
        return request.Quantity <= 0 || price <= 0
            ? $"quantity {request.Quantity} and price {price} must both be positive"
            : venue.MaxOrderQuantity > 0 && request.Quantity > venue.MaxOrderQuantity
                ? $"quantity {request.Quantity} exceeds {venue.Name}'s maximum of {venue.MaxOrderQuantity}"
                : request.Quantity * price < venue.MinNotional
                    ? $"notional {request.Quantity * price} is below {venue.Name}'s minimum of {venue.MinNotional}"
                    : null;
    }

    /// <summary>One order as the paper venue keeps it: its fills, and its status once it ended.</summary>
    private sealed class PaperOrder(OrderRequest request, string brokerOrderId, string venueName)
    {
        private readonly List<Fill> _fills = [];
        private string? _note;

        public OrderRequest Request => request;

        public OrderStatus Status { get; private set; } = OrderStatus.New;

        public decimal Remaining => request.Quantity - _fills.Sum(f => f.Quantity);

        public bool IsResting => Status is OrderStatus.New or OrderStatus.PartiallyFilled;

        /// <summary>Refused, post-only, because it would have traded at once.</summary>
        public bool WouldTake { get; set; }

        public void Fill(decimal quantity, decimal price, decimal fee, DateTimeOffset at)
        {
            _fills.Add(new Fill($"{venueName}-{request.ClientOrderId}-{_fills.Count + 1}", request.ClientOrderId, request.Symbol, request.Side, quantity, price, fee, at));
            Status = Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        }

        public void End(OrderStatus status, string? note) => (Status, _note) = (status, note ?? _note);

        public OrderAck Ack(DateTimeOffset now) =>
            new(request.ClientOrderId, brokerOrderId, Status, [.. _fills], _note, now, _fills.Sum(f => f.Quantity), request.Quantity, WouldTake);
    }
}
