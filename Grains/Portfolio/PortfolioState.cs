namespace TradingOrleans.Grains.Portfolio;

/// <summary>The PortfolioGrain's persisted state: the account as the fills have made it.</summary>
[GenerateSerializer]
public sealed class PortfolioState
{
    [Id(0)] public decimal InitialCash { get; set; }

    [Id(1)] public decimal Cash { get; set; }

    [Id(2)] public Dictionary<string, PositionState> Positions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>64-bit hashes of the most recent fill ids applied, oldest first: what makes a redelivered fill a no-op.</summary>
    /// <remarks>Bounded (see <see cref="PortfolioLedger.FillMemory"/>) so the state written after every fill stays small.</remarks>
    [Id(3)] public List<ulong> RecentFillHashes { get; set; } = [];

    [Id(4)] public decimal FeesPaid { get; set; }

    [Id(5)] public int FillCount { get; set; }

    /// <summary>Set once the initial cash is deposited.</summary>
    [Id(6)] public bool Funded { get; set; }

    /// <summary>
    /// The per-strategy shadow books as saved before 2026-12-07, with every fill; null since. They are now the grain's
    /// own <c>shadow</c> state, saved on a timer (<see cref="PortfolioOptions.ShadowSaveInterval"/>).
    /// </summary>
    [Id(7)] public ShadowLedgerState? Shadow { get; set; }

    /// <summary>Where the book's first cash and positions came from.</summary>
    [Id(8)] public PortfolioFunding Funding { get; set; }

    /// <summary>Value brought in (or, negative, taken out) not by trading, in the quote asset (<see cref="PortfolioLedger.Transfer"/>).</summary>
    [Id(9)] public decimal NetTransfers { get; set; }
}

/// <summary>Where a book's first cash and positions came from.</summary>
public enum PortfolioFunding
{
    /// <summary><c>Trading:Portfolio:InitialCash</c> (paper trading).</summary>
    Configured,

    /// <summary>The venue account's balances (<c>Testnet</c>, <c>Live</c>).</summary>
    Account,
}
