using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// The orders readers see, held in memory: filled on activation from the execution grains of every symbol that can have
/// orders, then kept current by their publications. Nothing is stored: the execution grains' journals are the record,
/// and a new activation reads them again.
/// </summary>
/// <remarks>
/// Reads interleave with each other ([ReadOnly]) and cost a dictionary lookup or a copy of a sorted list kept between
/// publications, so a dashboard polling the order list costs one call here and none on the order path.
/// </remarks>
public sealed class OrderReadModelGrain : Grain, IOrderReadModelGrain
{
    private readonly Dictionary<string, Held> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _countBySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParentOrder[]> _newestBySymbol = new(StringComparer.Ordinal);
    private ParentOrder[]? _newest;
    private long _arrivals;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var symbols = await OrderSymbols.WithOrders(GrainFactory);
        foreach (var kept in await Task.WhenAll(symbols.Select(s => GrainFactory.GetGrain<IExecutionGrain>(s).GetKeptOrders())))
        {
            Apply(kept);
        }
    }

    Task IOrderReadModelGrain.Publish(OrderRevision revision)
    {
        Apply(revision);
        return Task.CompletedTask;
    }

    Task<ParentOrder?> IOrderReadModelGrain.Find(string orderId) =>
        Task.FromResult(_orders.TryGetValue(orderId, out var held) ? held.Order : null);

    Task<IReadOnlyList<ParentOrder>> IOrderReadModelGrain.Newest(string? symbol, int limit)
    {
        var newest = symbol is null ? _newest ??= Sorted(_orders.Values) : NewestOf(symbol);
        return Task.FromResult<IReadOnlyList<ParentOrder>>(newest[..Math.Clamp(limit, 0, newest.Length)]);
    }

    private void Apply(OrderRevision revision)
    {
        var changed = false;
        foreach (var order in revision.Orders)
        {
            if (!_orders.TryGetValue(order.OrderId, out var held))
            {
                _orders[order.OrderId] = new Held(order, revision.Revision, ++_arrivals);
                _countBySymbol[order.Symbol] = _countBySymbol.GetValueOrDefault(order.Symbol) + 1;
                changed = true;
            }
            else if (revision.Revision > held.Revision)
            {
                _orders[order.OrderId] = held with { Order = order, Revision = revision.Revision };
                changed = true;
            }
        }

        if (changed)
        {
            KeepNewest(revision.Symbol);
            _newest = null;
            _newestBySymbol.Remove(revision.Symbol);
        }
    }

    /// <summary>
    /// Drops a symbol's oldest settled orders past what its execution grain keeps (<see cref="OrderBlotter.OrdersKept"/>),
    /// as the grain drops them from its blotter.
    /// </summary>
    private void KeepNewest(string symbol)
    {
        var excess = _countBySymbol.GetValueOrDefault(symbol) - OrderBlotter.OrdersKept;
        if (excess <= 0)
        {
            return;
        }

        var oldestSettled = _orders.Values
            .Where(h => h.Order.Symbol == symbol && OrderBlotter.IsSettled(h.Order))
            .OrderBy(h => h.Arrival)
            .Take(excess)
            .ToList();
        foreach (var held in oldestSettled)
        {
            _orders.Remove(held.Order.OrderId);
        }

        _countBySymbol[symbol] -= oldestSettled.Count;
    }

    private ParentOrder[] NewestOf(string symbol)
    {
        if (!_newestBySymbol.TryGetValue(symbol, out var newest))
        {
            _newestBySymbol[symbol] = newest = Sorted(_orders.Values.Where(h => h.Order.Symbol == symbol));
        }

        return newest;
    }

    /// <summary>Newest placement first; orders not placed yet last, and among equals the later arrival first.</summary>
    private static ParentOrder[] Sorted(IEnumerable<Held> orders) =>
        [.. orders.OrderByDescending(h => h.Order.PlacedAt).ThenByDescending(h => h.Arrival).Select(h => h.Order)];

    /// <param name="Arrival">When this read model first saw the order (a count), which orders it among equal placements.</param>
    private sealed record Held(ParentOrder Order, long Revision, long Arrival);
}
