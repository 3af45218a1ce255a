using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>The single account: applies fills exactly once and values positions at the latest marks.</summary>
public sealed class PortfolioGrain(
    [PersistentState("portfolio")] IPersistentState<PortfolioState> state,
    IOptions<PortfolioOptions> options,
    TimeProvider time,
    TradingMetrics metrics) : Grain, IPortfolioGrain
{
    private PortfolioLedger _ledger = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new PortfolioLedger(state.State);
        if (!state.State.Funded)
        {
            _ledger.Fund(options.Value.InitialCash);
            await state.WriteStateAsync(cancellationToken);
        }
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

    Task IPortfolioGrain.MarkToMarket(string symbol, decimal price, DateTimeOffset asOf)
    {
        _ledger.Mark(symbol, price);
        Publish();
        return Task.CompletedTask;
    }

    Task<SymbolExposure> IPortfolioGrain.GetExposure(string symbol) => Task.FromResult(_ledger.Exposure(symbol));

    private void Publish() => metrics.PortfolioValued(_ledger.Equity, _ledger.GrossExposure, _ledger.RealizedPnl, _ledger.UnrealizedPnl);

    Task<PortfolioSnapshot> IPortfolioGrain.GetSnapshot() =>
        Task.FromResult(_ledger.Snapshot(options.Value.QuoteAsset, time.GetUtcNow()));
}
