using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Interfaces.Portfolio;

/// <summary>The single account (key 0): cash, positions, PnL; applies every fill exactly once.</summary>
/// <remarks>
/// Every read interleaves: each reads in one synchronous step, so a dashboard's poll runs while a fill's storage write
/// is awaited (the fill is already in the ledger) instead of queueing the order path's marks and fills behind it.
/// </remarks>
public interface IPortfolioGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Books <paramref name="fills"/> (each once by fill id) and saves them, then pushes risk the book that holds them with
    /// <paramref name="closedOrders"/>, the orders they (or an earlier batch) finished: risk counts an order as open until
    /// it holds the book its fills are in. A batch may close orders without a fill (a rejected order).
    /// </summary>
    /// <param name="target">
    /// The shadow books' target of the signal whose order this batch is the first to fill, carried here instead of in a
    /// message of its own (<see cref="OnTarget"/>); null for any other batch.
    /// </param>
    Task ApplyFills(IReadOnlyList<Fill> fills, IReadOnlyList<string> closedOrders, ShadowTarget? target);

    /// <summary>Updates the mark price of a symbol (not persisted: marks are re-learned from the feed).</summary>
    [OneWay]
    Task MarkToMarket(string symbol, decimal price, DateTimeOffset asOf);

    /// <summary>
    /// Every close of one market time, from a replay that publishes the bars after: marks the account to each (as
    /// <see cref="MarkToMarket"/>), then pushes risk the book, complete through that time, before it returns — so every
    /// order of that market time is decided on all of its closes, on every run.
    /// </summary>
    Task MarkCloses(IReadOnlyList<Candle> bars);

    /// <summary>A closed bar of a symbol: its close marks the account (as <see cref="MarkToMarket"/>), and its open fills the shadow books' pending targets.</summary>
    [OneWay]
    Task MarkBar(Candle bar);

    /// <summary>
    /// A target a symbol's aggregator sent to risk, with the votes it came from: what the shadow books hold next. Sent by
    /// the aggregator's order route when no order of it reached execution; an order's target comes with its first fills
    /// (<see cref="ApplyFills"/>), or from its execution grain when the order did not fill in the turn that placed it.
    /// A target comes once per signal; one seen again (a retried signal) is ignored.
    /// </summary>
    [OneWay]
    Task OnTarget(ShadowTarget target);

    /// <summary>Each strategy's shadow book and the netting residual.</summary>
    [AlwaysInterleave]
    Task<AttributionReport> GetAttribution();

    /// <summary>
    /// Each strategy's attributed PnL on <paramref name="symbol"/> (its aggregator weighs the votes with it). Interleaves,
    /// as the risk book does: it reads in one synchronous step.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<StrategyPnl>> GetStrategyPnl(string symbol);

    [AlwaysInterleave]
    Task<SymbolExposure> GetExposure(string symbol);

    /// <summary>
    /// The book risk decides on, as it is now (risk is pushed one whenever it changes, and asks only when the one it holds
    /// is behind an order's bar, or for an order that is not a signal's).
    /// </summary>
    /// <remarks>
    /// Interleaves: it reads in one synchronous step, so it may run while a fill's storage write is awaited — the
    /// fill is already in the ledger — instead of queueing the single risk gate behind every write.
    /// </remarks>
    [AlwaysInterleave]
    Task<RiskBook> GetRiskBook();

    /// <summary>The target weights against the current positions, with drift and the trade that closes it.</summary>
    [AlwaysInterleave]
    Task<PortfolioAllocation> GetAllocation();

    /// <summary>Equity sampled every <c>Trading:Portfolio:EquityCurveInterval</c> of market time, oldest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<EquityPoint>> GetEquityCurve();

    /// <summary>The covariance and kept return rows of <paramref name="symbols"/> (for VaR figures on request).</summary>
    [AlwaysInterleave]
    Task<ReturnModel> GetReturnModel(IReadOnlyList<string> symbols);

    [AlwaysInterleave]
    Task<PortfolioSnapshot> GetSnapshot();

    /// <summary>
    /// Takes the account's holdings as the book's cash and positions, unless the book was funded from the account
    /// already; a book funded from configuration (in <c>Paper</c>) is replaced. True when it took them.
    /// </summary>
    Task<bool> FundFromAccount(AccountHoldings holdings);

    /// <summary>Deposits, withdrawals and adopted drift: each moves cash or a position (valued at its mark) once per id.</summary>
    Task ApplyTransfers(IReadOnlyList<HoldingTransfer> transfers);

    /// <summary>The account's free balances, which the risk book carries (not persisted: the account is read at start).</summary>
    [OneWay]
    Task OnFreeBalances(FreeBalances balances);
}
