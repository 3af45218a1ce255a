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
public sealed class BarFillVenue(PaperVenueOptions venue, PaperFillOptions fills, TimeProvider time) : IBroker
{
    private const int Decimals = 8;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RestingOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<RestingOrder> _open = [];

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
                order = new RestingOrder(request, $"{venue.Name}-{request.ClientOrderId}", placedAt, PaperBroker.Refusal(venue, request));
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
    /// Fills the resting orders on these bars (at most one bar per symbol, all opening at the same instant); returns
    /// every fill with its order's report, symbol by symbol in the bars' order, each symbol's orders in the order they came.
    /// </summary>
    public IReadOnlyList<BarFill> Match(IReadOnlyList<Candle> bars)
    {
        lock (_gate)
        {
            var reports = new List<BarFill>();
            foreach (var bar in bars)
            {
                _marketNow = bar.CloseTime > _marketNow ? bar.CloseTime : _marketNow;

                var capacity = decimal.Round((decimal)fills.ParticipationCap * bar.Volume, Decimals, MidpointRounding.ToZero);
                foreach (var order in _open.Where(o => o.Request.Symbol == bar.Symbol && CanFillOn(o, bar)).ToList())
                {
                    var quantity = Math.Min(order.Remaining, capacity);
                    if (quantity <= 0)
                    {
                        break;
                    }

                    capacity -= quantity;
                    var fill = order.Fill(quantity, Slipped(bar.Open, order.Request.Side), venue.FeeBps, bar.OpenTime, venue.Name);
                    if (order.Status == OrderStatus.Filled)
                    {
                        _open.Remove(order);
                    }

                    reports.Add(new BarFill(bar.Symbol, fill, order.Ack(time.GetUtcNow())));
                }
            }

            return reports;
        }
    }

    private bool CanFillOn(RestingOrder order, Candle bar) => bar.OpenTime >= order.PlacedAt + fills.LatencyBars * bar.Interval;

    private decimal Slipped(decimal open, OrderSide side)
    {
        var worse = venue.SlippageBps / 10_000m;
        return decimal.Round(open * (side == OrderSide.Buy ? 1 + worse : 1 - worse), Decimals);
    }

    private sealed class RestingOrder(OrderRequest request, string brokerOrderId, DateTimeOffset placedAt, string? rejection)
    {
        private readonly List<Fill> _fills = [];

        public OrderRequest Request => request;

        public DateTimeOffset PlacedAt => placedAt;

        public OrderStatus Status { get; set; } = rejection is null ? OrderStatus.New : OrderStatus.Rejected;

        public decimal Remaining => request.Quantity - _fills.Sum(f => f.Quantity);

        public Fill Fill(decimal quantity, decimal price, decimal feeBps, DateTimeOffset at, string venueName)
        {
            var fee = decimal.Round(quantity * price * feeBps / 10_000m, Decimals);
            var fill = new Fill($"{venueName}-{request.ClientOrderId}-{_fills.Count + 1}", request.ClientOrderId, request.Symbol, request.Side, quantity, price, fee, at);
            _fills.Add(fill);
            Status = Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
            return fill;
        }

        public OrderAck Ack(DateTimeOffset now) =>
            new(request.ClientOrderId, brokerOrderId, Status, [.. _fills], rejection, now, _fills.Sum(f => f.Quantity), request.Quantity);
    }
}

/// <summary>A fill a bar made, with the report of its order as it stands after it (for execution).</summary>
public sealed record BarFill(string Symbol, Fill Fill, OrderAck Report);
