using Orleans.Concurrency;

namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>
/// The orders as readers see them (key 0): every symbol's kept orders, published by its execution grain whenever they
/// change, so that reading orders — a dashboard polling the list, a client following its order — never waits on a grain
/// the order path goes through. Reads are current up to the last publication, which leaves the execution grain within
/// the turn that changed the order.
/// </summary>
public interface IOrderReadModelGrain : IGrainWithIntegerKey
{
    /// <summary>Orders of one symbol that changed, in their new versions.</summary>
    [OneWay]
    Task Publish(OrderRevision revision);

    /// <summary>The order with this id, whichever symbol it trades; null when no execution grain keeps it.</summary>
    [ReadOnly]
    Task<ParentOrder?> Find(string orderId);

    /// <summary>The most recent orders of one symbol, or of every symbol, newest placement first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ParentOrder>> Newest(string? symbol, int limit);
}

/// <summary>
/// Orders of one symbol as its execution grain had them at <paramref name="Revision"/>. Revisions of a symbol only grow
/// (a new activation starts above the last one's), so an order's version from a lower revision than the one held is
/// stale — a publication overtaken on its way — and is ignored.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderRevision(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long Revision,
    [property: Id(2)] IReadOnlyList<ParentOrder> Orders);
