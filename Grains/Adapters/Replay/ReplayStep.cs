using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>What a replay does around the bars of one market time, before and after publishing them.</summary>
public interface IReplayStep
{
    /// <summary>Before the bars are published: market time moves to their close and the venues fill on them (the list is reused once this returns).</summary>
    Task OpenAsync(IReadOnlyList<Candle> bars, CancellationToken cancellationToken);

    /// <summary>Once a bar is published: completes when its consequences (signals, orders, fills) are done.</summary>
    Task SettleAsync(Candle bar, CancellationToken cancellationToken);
}

/// <summary>
/// The step of the live path's replay and of a backtest alike. With a <see cref="MarketClock"/> the clock moves to the
/// bars' close first, and the timer ticks it fired run before anything else happens. Then the venues that fill on bars
/// (<see cref="BarFillVenue"/>) fill their resting orders at the bars' open, and each report reaches the order's
/// execution grain before the bars are published: an order learns its fill before the strategies see the next close.
/// The portfolio is then marked to every close of the market time, and risk given its book. Settling waits for the
/// symbol's order path.
/// </summary>
/// <param name="onFill">Told every fill a bar made, after execution has it (a backtest records them).</param>
public sealed class MarketReplayStep(IGrainFactory grains, IReadOnlyList<IBroker> venues, MarketClock? clock = null, Action<Fill>? onFill = null) : IReplayStep
{
    private readonly BarFillVenue[] _barVenues = [.. venues.OfType<BarFillVenue>()];
    private readonly SortedSet<string> _symbols = new(StringComparer.Ordinal);
    private readonly IPortfolioGrain _portfolio = grains.GetGrain<IPortfolioGrain>(0);

    public async Task OpenAsync(IReadOnlyList<Candle> bars, CancellationToken cancellationToken)
    {
        foreach (var bar in bars)
        {
            _symbols.Add(bar.Symbol);
        }

        if (clock?.AdvanceTo(bars.Max(b => b.CloseTime)) > 0)
        {
            // The ticks were queued on their grains as the clock fired them; a call queued behind them returns after.
            foreach (var symbol in _symbols)
            {
                await grains.GetGrain<IExecutionGrain>(symbol).CaughtUp();
            }
        }

        foreach (var venue in _barVenues)
        {
            foreach (var report in venue.Match(bars))
            {
                await grains.GetGrain<IExecutionGrain>(report.Symbol).OnVenueReport(report.Report);
                if (report.Fill is { } fill)
                {
                    onFill?.Invoke(fill);
                }
            }
        }

        // Every close of this market time is in the account, and in the book risk decides on, before any of its orders is
        // decided, whichever symbol goes first.
        await _portfolio.MarkCloses(bars);
    }

    public Task SettleAsync(Candle bar, CancellationToken cancellationToken) => grains.GetGrain<ISymbolGrain>(bar.Symbol).OrderPathSettled();
}
