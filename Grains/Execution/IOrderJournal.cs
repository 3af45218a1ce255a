using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Where a symbol's parent orders are stored: the orders not yet sealed (written after every change, so kept small)
/// and numbered history pages of finished orders, written once each.
/// </summary>
public interface IOrderJournal
{
    /// <summary>The orders of the newest <paramref name="pages"/> history pages, oldest first, and the orders not sealed in a page.</summary>
    Task<StoredOrders> LoadAsync(int pages);

    /// <summary>
    /// Writes finished orders to the next history page. The page that falls out of the newest
    /// <paramref name="pagesKept"/> is cleared: nobody reads it again, and its orders stay in the audit trail.
    /// </summary>
    Task SealAsync(IReadOnlyList<ParentOrder> page, int pagesKept);

    /// <summary>Writes the orders not sealed in a page, replacing what was written before.</summary>
    Task SaveAsync(IReadOnlyList<ParentOrder> unsealed);
}

/// <summary>What an order journal gives back: the orders of its newest history pages, oldest first, then the unsealed ones.</summary>
public sealed record StoredOrders(IReadOnlyList<ParentOrder> Sealed, IReadOnlyList<ParentOrder> Unsealed);
