using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// The parent orders of one symbol kept at hand, oldest first: found by order id or by a child's client order id,
/// capped at <see cref="OrdersKept"/>, and written through an <see cref="IOrderJournal"/> that seals finished orders
/// into history pages, so a write costs the same with 5 orders kept as with 200.
/// </summary>
public sealed class OrderBlotter
{
    /// <summary>
    /// Orders kept at hand (for the order list and retried intents); older ones stay in the audit trail and the trade
    /// report.
    /// </summary>
    public const int OrdersKept = 200;

    /// <summary>
    /// Finished orders per sealed history page. Ten, not more: the unsealed orders are serialized on the order path's
    /// grain turn, and a page of 25 kept the written state at 18–37 KB.
    /// </summary>
    public const int PageSize = 10;

    /// <summary>History pages read back on activation: together they hold <see cref="OrdersKept"/> orders.</summary>
    public const int PagesKept = OrdersKept / PageSize;

    private readonly LinkedList<ParentOrder> _orders = new();
    private readonly Dictionary<string, LinkedListNode<ParentOrder>> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentOfChild = new(StringComparer.Ordinal);

    // Ids of the kept orders whose current version is in a sealed page (an order changed after sealing leaves it).
    private readonly HashSet<string> _sealed = new(StringComparer.Ordinal);
    private readonly List<ParentOrder> _page = new(PageSize);

    // Ids of the orders put since the changes were last taken (for the read model).
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private int _working;
    private int _awaitingChildren;

    /// <summary>Every order kept, oldest first.</summary>
    public IReadOnlyCollection<ParentOrder> Orders => _orders;

    /// <summary>A parent is still being sliced.</summary>
    public bool HasWorkingOrders => _working > 0;

    /// <summary>A child's state at its venue is not settled yet.</summary>
    public bool HasUnsettledChildren => _awaitingChildren > 0;

    /// <summary>
    /// The orders a journal holds: its newest pages, then its unsealed orders. An order found twice (changed after it
    /// was sealed, or written to a page just before a restart) counts in its later version, at that place.
    /// </summary>
    public static async Task<OrderBlotter> LoadAsync(IOrderJournal journal)
    {
        var stored = await journal.LoadAsync(PagesKept);
        var blotter = new OrderBlotter();
        foreach (var order in stored.Sealed)
        {
            blotter.Append(order);
            blotter._sealed.Add(order.OrderId);
        }

        foreach (var order in stored.Unsealed)
        {
            blotter.Append(order);
        }

        blotter.KeepNewest();
        blotter._changed.Clear();
        return blotter;
    }

    public ParentOrder? Find(string orderId) => _byId.TryGetValue(orderId, out var node) ? node.Value : null;

    /// <summary>The parent of the child with this client order id, if it is kept.</summary>
    public ParentOrder? FindByChild(string clientOrderId) =>
        _parentOfChild.TryGetValue(clientOrderId, out var orderId) ? Find(orderId) : null;

    /// <summary>The newest <paramref name="limit"/> orders, newest first.</summary>
    public IReadOnlyList<ParentOrder> Newest(int limit)
    {
        var newest = new List<ParentOrder>(Math.Clamp(limit, 0, _orders.Count));
        for (var node = _orders.Last; node is not null && newest.Count < limit; node = node.Previous)
        {
            newest.Add(node.Value);
        }

        return newest;
    }

    /// <summary>The kept orders put since this was last asked, in their current versions; then none until the next put.</summary>
    public IReadOnlyList<ParentOrder> TakeChanged()
    {
        if (_changed.Count == 0)
        {
            return [];
        }

        var changed = new List<ParentOrder>(_changed.Count);
        foreach (var orderId in _changed)
        {
            if (Find(orderId) is { } order)
            {
                changed.Add(order);
            }
        }

        _changed.Clear();
        return changed;
    }

    /// <summary>A new order joins at the newest end (the oldest sealed ones leave past the cap); a known one is replaced where it stands.</summary>
    public void Put(ParentOrder order)
    {
        _changed.Add(order.OrderId);
        if (_byId.TryGetValue(order.OrderId, out var node))
        {
            Count(node.Value, -1);
            IndexChildren(order, from: node.Value.Children.Count);
            node.Value = order;
            Count(order, +1);
            _sealed.Remove(order.OrderId);
            return;
        }

        Append(order);
        KeepNewest();
    }

    /// <summary>
    /// Writes the orders not sealed. Once a page's worth of them are settled (final, nothing awaited from a venue),
    /// the oldest such page is sealed first, so the written state stays small.
    /// </summary>
    public async Task SaveAsync(IOrderJournal journal)
    {
        if (FillPage())
        {
            ParentOrder[] page = [.. _page];
            await journal.SealAsync(page, PagesKept);
            foreach (var order in page)
            {
                _sealed.Add(order.OrderId);
            }
        }

        var unsealed = new List<ParentOrder>();
        foreach (var order in _orders)
        {
            if (!_sealed.Contains(order.OrderId))
            {
                unsealed.Add(order);
            }
        }

        await journal.SaveAsync(unsealed);
    }

    /// <summary>No more fills can come for the order and none of its children is awaited at a venue.</summary>
    public static bool IsSettled(ParentOrder order) => OrderBookkeeping.IsFinal(order.Status) && AwaitingChildren(order) == 0;

    private bool FillPage()
    {
        _page.Clear();
        foreach (var order in _orders)
        {
            if (!_sealed.Contains(order.OrderId) && IsSettled(order))
            {
                _page.Add(order);
                if (_page.Count == PageSize)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Adds at the newest end, replacing an earlier version of the same order.</summary>
    private void Append(ParentOrder order)
    {
        if (_byId.TryGetValue(order.OrderId, out var earlier))
        {
            Remove(earlier);
        }

        _byId[order.OrderId] = _orders.AddLast(order);
        IndexChildren(order, from: 0);
        Count(order, +1);
    }

    /// <summary>Drops the oldest orders past <see cref="OrdersKept"/>; only sealed ones leave (finished, and in their page).</summary>
    private void KeepNewest()
    {
        var node = _orders.First;
        while (_orders.Count > OrdersKept && node is not null)
        {
            var next = node.Next;
            if (_sealed.Contains(node.Value.OrderId))
            {
                Remove(node);
            }

            node = next;
        }
    }

    private void Remove(LinkedListNode<ParentOrder> node)
    {
        var order = node.Value;
        foreach (var child in order.Children)
        {
            _parentOfChild.Remove(child.ClientOrderId);
        }

        Count(order, -1);
        _sealed.Remove(order.OrderId);
        _byId.Remove(order.OrderId);
        _orders.Remove(node);
    }

    private void IndexChildren(ParentOrder order, int from)
    {
        for (var i = from; i < order.Children.Count; i++)
        {
            _parentOfChild[order.Children[i].ClientOrderId] = order.OrderId;
        }
    }

    private void Count(ParentOrder order, int sign)
    {
        _working += order.Status == OrderStatus.Working ? sign : 0;
        _awaitingChildren += sign * AwaitingChildren(order);
    }

    private static int AwaitingChildren(ParentOrder order)
    {
        var awaiting = 0;
        for (var i = 0; i < order.Children.Count; i++)
        {
            awaiting += order.Children[i].AwaitingVenue ? 1 : 0;
        }

        return awaiting;
    }
}
