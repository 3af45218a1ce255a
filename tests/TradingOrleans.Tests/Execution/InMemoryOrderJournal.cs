using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Execution;

/// <summary>An order journal in memory for unit tests: what was written, page by page (null once cleared), and how often.</summary>
internal sealed class InMemoryOrderJournal : IOrderJournal
{
    private readonly List<IReadOnlyList<ParentOrder>?> _pages = [];

    public IReadOnlyList<IReadOnlyList<ParentOrder>?> Pages => _pages;

    public IReadOnlyList<ParentOrder> Unsealed { get; private set; } = [];

    /// <summary>Writes of the unsealed orders (one per save).</summary>
    public int Saves { get; private set; }

    public Task<StoredOrders> LoadAsync(int pages) =>
        Task.FromResult(new StoredOrders([.. _pages.Skip(Math.Max(0, _pages.Count - pages)).SelectMany(page => page!)], Unsealed));

    public Task SealAsync(IReadOnlyList<ParentOrder> page, int pagesKept)
    {
        _pages.Add(page);
        if (_pages.Count > pagesKept)
        {
            _pages[_pages.Count - pagesKept - 1] = null;
        }

        return Task.CompletedTask;
    }

    public Task SaveAsync(IReadOnlyList<ParentOrder> unsealed)
    {
        Unsealed = [.. unsealed];
        Saves++;
        return Task.CompletedTask;
    }
}
