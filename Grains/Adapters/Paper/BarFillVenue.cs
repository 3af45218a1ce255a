using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// A simulated venue that fills on the bars after an order (<see cref="PaperFillModel.NextBarOpen"/>): an accepted
/// market order rests, and each later bar of its symbol fills it at the bar's open slipped against the trader, at most
/// <see cref="PaperFillOptions.ParticipationCap"/> of the bar's volume shared by the symbol's orders in the order they
/// came, the rest on the bars after. Fees are charged per fill. The replay hands it every market time's bars before
/// publishing them (<see cref="Match"/>) and delivers the reports to execution.
/// </summary>
/// <remarks>
/// A limit order fills only on a bar that trades through its limit (<see cref="LimitCrossing"/>), within the same
/// volume share. GTC and limit-maker orders rest until then; IOC and FOK orders get the first bar they may fill on, and
/// expire on it with what it gave them (FOK: all or nothing). A limit maker that would fill against the last close is
/// rejected. Not simulated: queue position, and the bar's path (a limit inside the bar's range counts as crossed
/// whenever within the bar it was).
/// </remarks>
public sealed class BarFillVenue(PaperVenueOptions venue, PaperFillOptions fills, TimeProvider time) : IBroker
{
    private const int Decimals = 8;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RestingOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<RestingOrder> _open = [];
    private readonly Dictionary<string, decimal> _lastClose = new(StringComparer.Ordinal);

    // The close of the latest bar matched: the venue's own market time, whatever clock the silo runs on.
    private DateTimeOffset _marketNow = DateTimeOffset.MinValue;

    public string Name => venue.Name;

    public VenueTerms Terms { get; } = new(venue.FeeBps, venue.SlippageBps, venue.MaxOrderQuantity, venue.MinNotional);

    public bool IsAvailable => true;

    /// <summary>Accepts the order to rest until a later bar (or rejects it); a repeated client order id finds the first.</summary>
    public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(request.ClientOrderId, out var order))
            {
                var placedAt = request.MarketTime > _marketNow ? request.MarketTime : _marketNow;
                var refusal = PaperBroker.Refusal(venue, request);
                var takes = refusal is null ? WouldTake(request) : null;
                order = new RestingOrder(request, $"{venue.Name}-{request.ClientOrderId}", placedAt, refusal ?? takes) { WouldTake = takes is not null };
                _orders.Add(request.ClientOrderId, order);
                if (order.Status == OrderStatus.New)
                {
                    _open.Add(order);
                }
            }

            return Task.FromResult(order.Ack(time.GetUtcNow()));
        }
    }

    public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_orders.TryGetValue(request.ClientOrderId, out var order) ? order.Ack(time.GetUtcNow()) : null);
        }
    }

    /// <summary>Cancels what is still resting; what filled stands.</summary>
    public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(request.ClientOrderId, out var order))
            {
                return Task.FromResult<OrderAck?>(null);
            }

            if (_open.Remove(order))
            {
                order.Status = OrderStatus.Cancelled;
            }

            return Task.FromResult<OrderAck?>(order.Ack(time.GetUtcNow()));
        }
    }

    /// <summary>
    /// Fills the resting orders on these bars (at most one bar per symbol, all opening at the same instant) and expires
    /// the IOC and FOK orders they were due on; returns every fill and expiry with its order's report, symbol by symbol
    /// in the bars' order, each symbol's orders in the order they came.
    /// </summary>
    public IReadOnlyList<BarReport> Match(IReadOnlyList<Candle> bars)
    {
        lock (_gate)
        {
            var reports = new List<BarReport>();
            foreach (var bar in bars)
            {
                _marketNow = bar.CloseTime > _marketNow ? bar.CloseTime : _marketNow;

                var capacity = decimal.Round((decimal)fills.ParticipationCap * bar.Volume, Decimals, MidpointRounding.ToZero);
                foreach (var order in _open.Where(o => o.Request.Symbol == bar.Symbol && CanFillOn(o, bar)).ToList())
                {
                    var request = order.Request;
                    var price = request.Limit is { } limit
                        ? LimitCrossing.FillPrice(limit, request.Side, bar, venue.SlippageBps)
                        : LimitCrossing.Slipped(bar.Open, request.Side, venue.SlippageBps);
                    var quantity = price is null ? 0 : Math.Min(order.Remaining, capacity);
                    if (request.Limit?.TimeInForce == TimeInForce.Fok && quantity < order.Remaining)
                    {
                        quantity = 0;
                    }

                    Fill? fill = null;
                    if (quantity > 0)
                    {
                        capacity -= quantity;
                        fill = order.Fill(quantity, price!.Value, venue.FeeBps, bar.OpenTime, venue.Name);
                    }

                    if (order.Status != OrderStatus.Filled && request.Limit is { Type: OrderType.Limit, TimeInForce: not TimeInForce.Gtc } due)
                    {
                        order.Expire($"expired: {due.TimeInForce} at {due.Price}, {order.Remaining} unfilled on the bar of {bar.OpenTime:O}");
                    }

                    if (order.Status is OrderStatus.Filled or OrderStatus.Cancelled)
                    {
                        _open.Remove(order);
                    }

                    if (fill is not null || order.Status == OrderStatus.Cancelled)
                    {
                        reports.Add(new BarReport(bar.Symbol, order.Ack(time.GetUtcNow()), fill));
                    }
                }

                _lastClose[bar.Symbol] = bar.Close;
            }

            return reports;
        }
    }

    private bool CanFillOn(RestingOrder order, Candle bar) => bar.OpenTime >= order.PlacedAt + fills.LatencyBars * bar.Interval;

    /// <summary>Why a limit maker is refused: it would fill at once against the symbol's last close (slipped as a market order would be).</summary>
    private string? WouldTake(OrderRequest request) =>
        request.Limit is { Type: OrderType.LimitMaker } limit && _lastClose.TryGetValue(request.Symbol, out var close)
            && limit.Allows(request.Side, LimitCrossing.Slipped(close, request.Side, venue.SlippageBps))
            ? $"limit maker at {limit.Price} would immediately match and take on {venue.Name} (last price {close})"
            : null;

    private sealed class RestingOrder(OrderRequest request, string brokerOrderId, DateTimeOffset placedAt, string? rejection)
    {
        private readonly List<Fill> _fills = [];

        public OrderRequest Request => request;

        public DateTimeOffset PlacedAt => placedAt;

        private string? _note = rejection;

        public OrderStatus Status { get; set; } = rejection is null ? OrderStatus.New : OrderStatus.Rejected;

        /// <summary>Refused, post-only, because it would have traded at once.</summary>
        public bool WouldTake { get; init; }

        public decimal Remaining => request.Quantity - _fills.Sum(f => f.Quantity);

        public Fill Fill(decimal quantity, decimal price, decimal feeBps, DateTimeOffset at, string venueName)
        {
            var fee = decimal.Round(quantity * price * feeBps / 10_000m, Decimals);
            var fill = new Fill($"{venueName}-{request.ClientOrderId}-{_fills.Count + 1}", request.ClientOrderId, request.Symbol, request.Side, quantity, price, fee, at);
            _fills.Add(fill);
            Status = Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
            return fill;
        }

        public void Expire(string note) => (Status, _note) = (OrderStatus.Cancelled, note);

        public OrderAck Ack(DateTimeOffset now) =>
            new(request.ClientOrderId, brokerOrderId, Status, [.. _fills], _note, now, _fills.Sum(f => f.Quantity), request.Quantity, WouldTake);
    }
}

/// <summary>What a bar did to one order: its report as it stands after the bar (for execution), and the fill it made, if any (none when it expired).</summary>
public sealed record BarReport(string Symbol, OrderAck Report, Fill? Fill);
