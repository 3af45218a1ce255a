using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// The venue account (<c>Testnet</c>, <c>Live</c>): reads it at activation and every <c>Trading:Account:ReconcileInterval</c>,
/// funds the portfolio from it once, keeps its balances current from the user-data stream, pushes the free balances to
/// the portfolio for risk, and compares the portfolio's cash and positions with it: drift is exported, logged and
/// audited, and under <see cref="DriftPolicy.Adopt"/> a drift seen at two reconciliations in a row is booked into the
/// portfolio as a transfer. Fills reach the portfolio from execution, never from here: the account's balance events only
/// update this view of it, so a trade is never booked twice.
/// </summary>
/// <remarks>The balances live in memory: a new activation reads the account again.</remarks>
public sealed class AccountGrain(
    IEnumerable<IVenueAccount> venues,
    IOptions<AccountOptions> options,
    IOptions<PortfolioOptions> portfolio,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private readonly IVenueAccount? _venue = venues.FirstOrDefault();
    private readonly AccountBook _book = new();
    private IPortfolioGrain _portfolio = null!;
    private AccountReconciliation? _last;

    // The last comparison that could be made (not a failed read): what the next one tells persisting drift by.
    private IReadOnlyList<AssetDrift>? _lastCompared;

    // The symbols whose base assets are positions: the venue's, and any the portfolio held at the last comparison.
    private HashSet<string> _symbols = new(StringComparer.Ordinal);
    private long _revision;

    private string QuoteAsset => portfolio.Value.QuoteAsset;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        // A new activation's pushes start above any an earlier one made (the read model's revisions work the same way).
        _revision = time.GetUtcNow().UtcTicks;
        if (_venue is not null)
        {
            _symbols = new HashSet<string>(_venue.Symbols, StringComparer.Ordinal);
            // Kept alive: the account must be followed and reconciled whether or not anyone calls.
            this.RegisterGrainTimer(static (grain, _) => grain.Run(grain._last is null ? "start" : "scheduled"), this,
                new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.ReconcileInterval) { KeepAlive = true });
        }

        return Task.CompletedTask;
    }

    Task IAccountGrain.Start() => Task.CompletedTask;

    Task IAccountGrain.OnPositionUpdate(AccountPositionUpdate update)
    {
        if (_venue is not null && _book.Take(update))
        {
            PushFreeBalances();
        }

        return Task.CompletedTask;
    }

    async Task IAccountGrain.OnTransfer(BalanceTransfer transfer)
    {
        if (_venue is null)
        {
            return;
        }

        if (_book.Take(transfer))
        {
            PushFreeBalances();
        }

        // The portfolio's holding moves whatever the view did (a balance read after the transfer already holds it); the
        // transfer's id makes a second report of it (one stream per silo) change nothing.
        var symbol = transfer.Asset == QuoteAsset ? null : transfer.Asset + QuoteAsset;
        if (symbol is not null && !_symbols.Contains(symbol))
        {
            return; // an asset the portfolio does not trade (BNB for fees, say): in the account's balances only
        }

        await _portfolio.ApplyTransfers([new HoldingTransfer(transfer.TransferId, symbol, transfer.Delta)]);
        var summary = Invariant($"{(transfer.Delta > 0 ? "deposit" : "withdrawal")} of {Math.Abs(transfer.Delta)} {transfer.Asset} (cleared {transfer.ClearedAt:O}): {(symbol is null ? "cash" : $"the {symbol} position")} moves with it");
        logger.LogInformation("Account: {Summary}", summary);
        audit.Write(AuditEvents.Account(transfer.TransferId, summary, transfer, time.GetUtcNow(), AuditActor.System));
    }

    async Task<AccountReconciliation?> IAccountGrain.Reconcile(string trigger) => _venue is null ? null : await Run(trigger);

    Task<AccountView?> IAccountGrain.GetAccount() => Task.FromResult(_venue is null
        ? null
        : new AccountView(_venue.Venue, QuoteAsset, _book.Balances, _book.TakerFeeRate, _book.UpdatedAt, _last,
            options.Value.OnDrift, options.Value.DriftTolerance, options.Value.ReconcileInterval));

    /// <summary>Reads the account, funds the portfolio from it if it never was, and compares the two.</summary>
    private async Task<AccountReconciliation> Run(string trigger)
    {
        AccountSnapshot read;
        try
        {
            read = await _venue!.ReadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Account: {Venue} could not be read ({Error}); the next reconciliation is in {Interval}", _venue!.Venue, e.Message, options.Value.ReconcileInterval);
            return Record(new AccountReconciliation(time.GetUtcNow(), trigger, ReconciliationOutcome.Failed, [], $"the account could not be read: {e.Message}"));
        }

        _book.Take(read);
        PushFreeBalances();
        var holdings = _book.Holdings(QuoteAsset, _symbols);
        if (await _portfolio.FundFromAccount(holdings))
        {
            var summary = Invariant($"portfolio funded from the {_venue.Venue} account: {holdings.Cash} {QuoteAsset} cash{string.Concat(holdings.Positions.Select(p => $", {p.Value} {p.Key}"))}");
            logger.LogWarning("Account: {Summary}", summary);
            audit.Write(AuditEvents.Account("funded", summary, holdings, time.GetUtcNow(), AuditActor.Current));
        }

        return Record(await Compare(trigger));
    }

    private async Task<AccountReconciliation> Compare(string trigger)
    {
        var book = await _portfolio.GetSnapshot();
        _symbols.UnionWith(book.Positions.Where(p => p.Quantity != 0).Select(p => p.Symbol));
        var tolerance = options.Value.DriftTolerance;
        var drifts = AccountDrift.Measure(_book, book, _symbols, tolerance);
        var now = time.GetUtcNow();
        var adopt = options.Value.OnDrift == DriftPolicy.Adopt
            ? AccountDrift.Persisting(drifts, _lastCompared, tolerance, book.Equity).Select(d => d.Asset).ToHashSet(StringComparer.Ordinal)
            : [];
        if (adopt.Count > 0)
        {
            drifts = [.. drifts.Select(d => adopt.Contains(d.Asset) ? d with { Adopted = true } : d)];
            await _portfolio.ApplyTransfers([.. drifts.Where(d => d.Adopted).Select(d =>
                new HoldingTransfer(Invariant($"adjustment-{d.Asset}-{now.ToUnixTimeMilliseconds()}"), d.Symbol, d.Drift))]);
        }

        _lastCompared = drifts;
        foreach (var drift in drifts)
        {
            metrics.AccountDriftMeasured(drift.Asset, drift.Adopted ? 0 : drift.Drift, drift.Adopted ? 0 : drift.FractionOfEquity);
        }

        var over = drifts.Where(d => d.OverTolerance).ToList();
        var outcome = adopt.Count > 0 ? ReconciliationOutcome.Adopted : over.Count > 0 ? ReconciliationOutcome.Drift : ReconciliationOutcome.Agrees;
        var summary = over.Count == 0
            ? Invariant($"the portfolio agrees with the account within {tolerance:P2} of equity")
            : string.Join("; ", over.Select(d => Invariant(
                $"{d.Asset}: account {d.Account:0.########}, portfolio {d.Portfolio:0.########}, drift {d.Drift:+0.########;-0.########} ({d.FractionOfEquity:P2} of equity, tolerance {tolerance:P2}){(d.Adopted ? ", adopted" : d.OverTolerance && options.Value.OnDrift == DriftPolicy.Adopt ? ", adopted if seen again" : "")}")));
        if (over.Count > 0)
        {
            logger.LogWarning("Account drift ({Trigger}): {Summary}", trigger, summary);
            audit.Write(AuditEvents.Account(outcome == ReconciliationOutcome.Adopted ? "adopted" : "drift", summary, over, now, AuditActor.Current));
            foreach (var adopted in over.Where(d => d.Adopted))
            {
                metrics.AccountDriftAdopted(adopted.Asset);
            }
        }

        return new AccountReconciliation(now, trigger, outcome, drifts, summary);
    }

    private AccountReconciliation Record(AccountReconciliation reconciliation)
    {
        _last = reconciliation;
        metrics.AccountReconciled(reconciliation.Outcome.ToString().ToLowerInvariant());
        return reconciliation;
    }

    private void PushFreeBalances() =>
        _portfolio.OnFreeBalances(new FreeBalances(_book.FreeBalances(), _book.TakerFeeRate, _book.UpdatedAt ?? time.GetUtcNow(), ++_revision)).Ignore();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
