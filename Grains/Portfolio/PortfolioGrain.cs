using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// The single account: applies fills exactly once, values positions at the latest marks, and keeps the return
/// history of every marked symbol (covariance and scenarios, in memory: re-learned from the feed) for risk. In
/// <c>Testnet</c> and <c>Live</c> it is funded from the venue account (not the configured cash) and carries the
/// account's free balances in the risk view.
/// </summary>
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

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new PortfolioLedger(state.State);
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

    async Task IPortfolioGrain.ApplyFills(IReadOnlyList<Fill> fills)
    {
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
    }

    async Task<bool> IPortfolioGrain.FundFromAccount(AccountHoldings holdings)
    {
        if (!_ledger.FundFromAccount(holdings, _marks))
        {
            return false;
        }

        await state.WriteStateAsync();
        Publish();
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
        }
    }

    Task IPortfolioGrain.OnFreeBalances(FreeBalances balances)
    {
        if (_freeBalances is null || balances.Revision > _freeBalances.Revision)
        {
            _freeBalances = balances;
        }

        return Task.CompletedTask;
    }

    /// <summary>The account's free quote and base balances for a trade in <paramref name="symbol"/>; null without a venue account.</summary>
    private AvailableBalance? AvailableFor(string symbol)
    {
        if (!mode.TradesAccount)
        {
            return null;
        }

        var (quote, asset) = (options.Value.QuoteAsset, AccountBook.BaseAsset(symbol, options.Value.QuoteAsset));
        return _freeBalances is { } free
            ? new AvailableBalance(quote, free.Free.GetValueOrDefault(quote), asset, free.Free.GetValueOrDefault(asset), free.TakerFeeRate, free.AsOf)
            : new AvailableBalance(quote, 0, asset, 0, 0, null);
    }

    Task IPortfolioGrain.MarkToMarket(string symbol, decimal price, DateTimeOffset asOf)
    {
        _ledger.Mark(symbol, price);
        _marks[symbol] = price;
        _returns.Observe(symbol, (double)price, asOf);
        Publish();
        SampleEquity(asOf);
        return Task.CompletedTask;
    }

    Task IPortfolioGrain.MarkBar(Candle bar)
    {
        ((IPortfolioGrain)this).MarkToMarket(bar.Symbol, bar.Close, bar.CloseTime);
        _shadowUnsaved |= _shadow.Bar(bar.Symbol, bar.OpenTime, bar.Open, bar.Close);
        return Task.CompletedTask;
    }

    // The shadow books are saved by their timer and on deactivation, not here: a storage write awaited in a mark or a
    // target would let risk's interleaved view read the account before marks queued behind it.
    Task IPortfolioGrain.OnTarget(CombinedSignal target, decimal positionSizeFraction)
    {
        _shadowUnsaved |= _shadow.Target(target, positionSizeFraction);
        return Task.CompletedTask;
    }

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

    Task<PortfolioRiskView> IPortfolioGrain.GetRiskView(string symbol, IReadOnlyDictionary<string, decimal> pending) =>
        Task.FromResult(RiskView(symbol, pending, alsoFlat: null));

    Task<IReadOnlyList<PortfolioRiskView>> IPortfolioGrain.GetSpreadRiskViews(string legA, string legB, IReadOnlyDictionary<string, decimal> pending) =>
        Task.FromResult<IReadOnlyList<PortfolioRiskView>>([RiskView(legA, pending, alsoFlat: legB), RiskView(legB, pending, alsoFlat: legA)]);

    /// <summary>The risk view of a trade in <paramref name="symbol"/>; <paramref name="alsoFlat"/> is listed even when not held.</summary>
    private PortfolioRiskView RiskView(string symbol, IReadOnlyDictionary<string, decimal> pending, string? alsoFlat)
    {
        var exposure = _ledger.Exposure(symbol);
        var held = _ledger.OpenPositions.ToDictionary(p => p.Symbol, p => (p.Quantity, p.Price), StringComparer.Ordinal);
        foreach (var (pendingSymbol, quantity) in pending)
        {
            var (position, price) = held.GetValueOrDefault(pendingSymbol, (0m, _marks.GetValueOrDefault(pendingSymbol)));
            held[pendingSymbol] = (position + quantity, price);
        }

        if (alsoFlat is not null)
        {
            held.TryAdd(alsoFlat, (0m, _marks.GetValueOrDefault(alsoFlat)));
        }

        // The traded symbol goes last, held or not: the covariance terms are taken against it.
        var open = held.Where(p => p.Key != symbol && (p.Value.Quantity != 0 || p.Key == alsoFlat)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Symbol: p.Key, p.Value.Quantity, p.Value.Price)).ToList();
        if (symbol.Length > 0)
        {
            open.Add((symbol, exposure.PositionQuantity + pending.GetValueOrDefault(symbol), _marks.GetValueOrDefault(symbol)));
        }

        string[] symbols = [.. open.Select(p => p.Symbol)];
        double[] values = [.. open.Select(p => (double)(p.Quantity * p.Price))];
        var (withTraded, variances, portfolioVariance) = _returns.Terms(symbols, values, symbol.Length > 0 ? symbols.Length - 1 : -1);
        return new PortfolioRiskView(
            exposure, symbols, [.. open.Select(p => p.Quantity)], [.. open.Select(p => p.Price)],
            withTraded, _returns.Observations, _returns.BarInterval, variances, portfolioVariance, AvailableFor(symbol));
    }

    Task<ReturnModel> IPortfolioGrain.GetReturnModel(IReadOnlyList<string> symbols) =>
        Task.FromResult(new ReturnModel(symbols, [.. _returns.Covariance(symbols).ToRowMajorArray()], _returns.Scenarios(symbols)));

    private void Publish() => metrics.PortfolioValued(_ledger.Equity, _ledger.GrossExposure, _ledger.RealizedPnl, _ledger.UnrealizedPnl);

    Task<PortfolioSnapshot> IPortfolioGrain.GetSnapshot() =>
        Task.FromResult(_ledger.Snapshot(options.Value.QuoteAsset, time.GetUtcNow()));
}
