using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// The single account: applies fills exactly once, values positions at the latest marks, and keeps the return
/// history of every marked symbol (covariance and scenarios, in memory: re-learned from the feed) for risk. In
/// <c>Testnet</c> and <c>Live</c> it is funded from the venue account (not the configured cash) and carries the
/// account's free balances in the risk book.
/// </summary>
/// <remarks>
/// Risk decides on a <see cref="RiskBook"/> this grain pushes to it (one-way) once per bar close and whenever the account
/// changes, not by asking per order. The orders a fill batch closed ride on the book that holds their fills, so risk
/// stops counting an order as open exactly when its fills are in the book it decides on.
/// </remarks>
public sealed class PortfolioGrain(
    [PersistentState("portfolio")] IPersistentState<PortfolioState> state,
    [PersistentState("shadow")] IPersistentState<ShadowLedgerState> shadowState,
    IOptions<PortfolioOptions> options,
    IOptions<PaperBrokerOptions> paper,
    IOptions<SignalOptions> signals,
    TradingModePlan mode,
    TimeProvider time,
    TradingMetrics metrics) : Grain, IPortfolioGrain
{
    private ShadowLedger _shadow = null!;
    private bool _shadowUnsaved;
    private readonly MarketReturns _returns = new();
    private readonly Dictionary<string, decimal> _marks = new(StringComparer.Ordinal);
    private readonly Queue<EquityPoint> _equityCurve = new();
    private DateTimeOffset? _lastMarketTime;
    private EquityPoint? _lastPoint;
    private PortfolioLedger _ledger = null!;
    private FreeBalances? _freeBalances;
    private IRiskGrain _risk = null!;

    // The risk book is made when asked for or pushed, from parts kept while they do not change: a fill batch's book
    // shares the last one's marks and covariance.
    private long _bookRevision;
    private RiskBook? _book;
    private IReadOnlyDictionary<string, decimal>? _bookMarks;
    private ReturnCovariance? _bookReturns;

    // Orders whose fills were booked (or that closed without one) since the last book was made: they ride on the next,
    // pushed at once.
    private readonly List<string> _closedSinceBook = [];

    // The latest close time a replay marked whole (MarkCloses): complete whatever the rows of marks count.
    private DateTimeOffset? _closesMarkedThrough;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new PortfolioLedger(state.State);
        _risk = GrainFactory.GetGrain<IRiskGrain>(0);
        // Above any revision an earlier activation could have reached, as the execution grain's publications.
        _bookRevision = time.GetUtcNow().UtcTicks;
        await MoveShadowBooksOutOfTheAccount(cancellationToken);
        // Sized on the initial cash as risk sizes a target, at the paper venue's costs (Binance's taker fee is the same 10 bps).
        _shadow = new ShadowLedger(shadowState.State, new ShadowTerms(
            options.Value.InitialCash, paper.Value.FeeBps, paper.Value.SlippageBps, paper.Value.Fills.LatencyBars, signals.Value.PerformanceHorizon));
        // The shadow books are attribution, not what an order depends on: saved on their own timer, at a random phase
        // so the write does not fall in the bar-close burst, never with a fill (whose write the order path waits for).
        // While it is awaited, risk's interleaved view may read the account as during a fill's write: once a minute.
        this.RegisterGrainTimer(static (grain, _) => grain.SaveShadowBooks(), this, new GrainTimerCreationOptions
        {
            DueTime = options.Value.ShadowSaveInterval * Random.Shared.NextDouble(),
            Period = options.Value.ShadowSaveInterval,
            KeepAlive = false,
        });
        // Against a venue account the book waits for the account's balances (the account grain funds it).
        if (!state.State.Funded && !mode.TradesAccount)
        {
            _ledger.Fund(options.Value.InitialCash);
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SaveShadowBooks(cancellationToken);

    private async Task SaveShadowBooks(CancellationToken cancellationToken = default)
    {
        if (_shadowUnsaved)
        {
            await shadowState.WriteStateAsync(cancellationToken);
            _shadowUnsaved = false;
        }
    }

    /// <summary>
    /// Until 2026-12-07 the shadow books were saved inside the account's state, written with every fill; a book stored
    /// that way moves to the grain's own <c>shadow</c> state at its first activation since.
    /// </summary>
    private async Task MoveShadowBooksOutOfTheAccount(CancellationToken cancellationToken)
    {
        if (state.State.Shadow is not { } old)
        {
            return;
        }

        if (!shadowState.RecordExists)
        {
            shadowState.State = old;
            await shadowState.WriteStateAsync(cancellationToken);
        }

        state.State.Shadow = null;
        await state.WriteStateAsync(cancellationToken);
    }

    async Task IPortfolioGrain.ApplyFills(IReadOnlyList<Fill> fills, IReadOnlyList<string> closedOrders, ShadowTarget? target)
    {
        if (target is not null)
        {
            TakeTarget(target);
        }

        var changed = false;
        try
        {
            foreach (var fill in fills)
            {
                changed |= _ledger.Apply(fill);
            }
        }
        finally
        {
            // A refused fill (non-positive quantity or price) must not leave the fills before it applied but unsaved.
            if (changed)
            {
                await state.WriteStateAsync();
                Publish();
            }
        }

        // The orders ride on the book that holds their fills: risk stops counting them as open when it has those fills.
        // Not deferred to the next bar close's book: a pair's unwind is not an order risk counts as open, so its fill must
        // reach risk as soon as the leg's close does.
        if (changed || closedOrders.Count > 0)
        {
            _closedSinceBook.AddRange(closedOrders);
            PushBook(accountChanged: true);
        }
    }

    async Task<bool> IPortfolioGrain.FundFromAccount(AccountHoldings holdings)
    {
        if (!_ledger.FundFromAccount(holdings, _marks))
        {
            return false;
        }

        await state.WriteStateAsync();
        Publish();
        PushBook(accountChanged: true);
        return true;
    }

    async Task IPortfolioGrain.ApplyTransfers(IReadOnlyList<HoldingTransfer> transfers)
    {
        var changed = false;
        foreach (var transfer in transfers)
        {
            changed |= _ledger.Transfer(transfer);
        }

        if (changed)
        {
            await state.WriteStateAsync();
            Publish();
            PushBook(accountChanged: true);
        }
    }

    Task IPortfolioGrain.OnFreeBalances(FreeBalances balances)
    {
        if (_freeBalances is null || balances.Revision > _freeBalances.Revision)
        {
            _freeBalances = balances;
            PushBook(accountChanged: true);
        }

        return Task.CompletedTask;
    }

    Task IPortfolioGrain.MarkToMarket(string symbol, decimal price, DateTimeOffset asOf)
    {
        var rows = Mark(symbol, price, asOf);

        // Once per bar close: when its first mark closes the row before it, and when its marks are all in.
        if (rows == RowChange.Turned || (rows == RowChange.Added && _returns.OpenRowComplete))
        {
            PushBook(accountChanged: false);
        }

        return Task.CompletedTask;
    }

    Task IPortfolioGrain.MarkCloses(IReadOnlyList<Candle> bars)
    {
        foreach (var bar in bars)
        {
            Mark(bar.Symbol, bar.Close, bar.CloseTime);
            _closesMarkedThrough = Later(_closesMarkedThrough, bar.CloseTime);
        }

        PushBook(accountChanged: false);
        return Task.CompletedTask;
    }

    private RowChange Mark(string symbol, decimal price, DateTimeOffset asOf)
    {
        _ledger.Mark(symbol, price);
        _book = null; // the equity moves with a held symbol's price
        if (!_marks.TryGetValue(symbol, out var last) || last != price)
        {
            _marks[symbol] = price;
            _bookMarks = null;
        }

        var rows = _returns.Observe(symbol, (double)price, asOf);
        if (rows == RowChange.Turned)
        {
            _bookReturns = null;
        }

        Publish();
        SampleEquity(asOf);
        return rows;
    }

    /// <summary>Sends risk the book as it is now (one-way).</summary>
    private void PushBook(bool accountChanged)
    {
        if (accountChanged)
        {
            _book = null;
        }

        _risk.OnRiskBook(Book()).Ignore();
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;

    private RiskBook Book() => _book ??= NewBook();

    private RiskBook NewBook()
    {
        IReadOnlyList<string> closed = [.. _closedSinceBook];
        _closedSinceBook.Clear();
        return new RiskBook(
            ++_bookRevision,
            _ledger.Equity,
            _ledger.GrossExposure,
            [.. _ledger.OpenPositions.Select(p => new BookPosition(p.Symbol, p.Quantity, p.Price))],
            _bookMarks ??= new Dictionary<string, decimal>(_marks, StringComparer.Ordinal),
            Later(_closesMarkedThrough, _returns.CompleteThrough),
            _bookReturns ??= _returns.Snapshot(),
            mode.TradesAccount ? new VenueBalances(options.Value.QuoteAsset, _freeBalances) : null,
            closed);
    }

    Task IPortfolioGrain.MarkBar(Candle bar)
    {
        ((IPortfolioGrain)this).MarkToMarket(bar.Symbol, bar.Close, bar.CloseTime);
        _shadowUnsaved |= _shadow.Bar(bar.Symbol, bar.OpenTime, bar.Open, bar.Close);
        return Task.CompletedTask;
    }

    // The shadow books are saved by their timer and on deactivation, not here: a storage write awaited in a mark or a
    // target would let risk's interleaved view read the account before marks queued behind it.
    Task IPortfolioGrain.OnTarget(ShadowTarget target)
    {
        TakeTarget(target);
        return Task.CompletedTask;
    }

    private void TakeTarget(ShadowTarget target) => _shadowUnsaved |= _shadow.Target(target.Signal, target.PositionSizeFraction);

    Task<IReadOnlyList<StrategyPnl>> IPortfolioGrain.GetStrategyPnl(string symbol) => Task.FromResult(_shadow.PnlOn(symbol));

    Task<AttributionReport> IPortfolioGrain.GetAttribution()
    {
        var books = _shadow.Books();
        var accountNetPnl = _ledger.Equity - state.State.InitialCash - state.State.NetTransfers;
        return Task.FromResult(new AttributionReport(books, accountNetPnl, accountNetPnl - books.Sum(b => b.NetPnl), _lastMarketTime));
    }

    Task<PortfolioAllocation> IPortfolioGrain.GetAllocation()
    {
        var holdings = _marks.ToDictionary(m => m.Key, m => (_ledger.Exposure(m.Key).PositionQuantity, m.Value), StringComparer.Ordinal);
        return Task.FromResult(AllocationPlan.Measure(options.Value.TargetWeights, holdings, _ledger.Equity, options.Value.RebalanceBand, _lastMarketTime));
    }

    Task<IReadOnlyList<EquityPoint>> IPortfolioGrain.GetEquityCurve() => Task.FromResult<IReadOnlyList<EquityPoint>>([.. _equityCurve]);

    /// <summary>Adds a point when the market clock has moved an interval past the last one (kept in memory, newest N).</summary>
    private void SampleEquity(DateTimeOffset marketTime)
    {
        if (_lastMarketTime is { } last && marketTime < last)
        {
            return;
        }

        _lastMarketTime = marketTime;
        if (_lastPoint is { } point && marketTime - point.MarketTime < options.Value.EquityCurveInterval)
        {
            return;
        }

        _lastPoint = new EquityPoint(marketTime, _ledger.Equity);
        _equityCurve.Enqueue(_lastPoint);
        if (_equityCurve.Count > options.Value.EquityCurvePoints)
        {
            _equityCurve.Dequeue();
        }
    }

    Task<SymbolExposure> IPortfolioGrain.GetExposure(string symbol) => Task.FromResult(_ledger.Exposure(symbol));

    Task<RiskBook> IPortfolioGrain.GetRiskBook() => Task.FromResult(Book());

    Task<ReturnModel> IPortfolioGrain.GetReturnModel(IReadOnlyList<string> symbols) =>
        Task.FromResult(new ReturnModel(symbols, [.. _returns.Covariance(symbols).ToRowMajorArray()], _returns.Scenarios(symbols)));

    private void Publish() => metrics.PortfolioValued(_ledger.Equity, _ledger.GrossExposure, _ledger.RealizedPnl, _ledger.UnrealizedPnl);

    Task<PortfolioSnapshot> IPortfolioGrain.GetSnapshot() =>
        Task.FromResult(_ledger.Snapshot(options.Value.QuoteAsset, time.GetUtcNow()));
}
