using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Tests.Support;

/// <summary>Hands bars to their symbol grains as a feed would, and waits for each symbol's last order path.</summary>
public static class BarFeed
{
    public static async Task Feed(IGrainFactory grains, IEnumerable<Candle> bars)
    {
        foreach (var bar in bars)
        {
            await grains.GetGrain<ISymbolGrain>(bar.Symbol).OnCandle(bar with { IngestedAt = DateTimeOffset.UtcNow });
        }

        // OnCandle returns before the last bar's order path (vote, order entry, risk, execution) has run: wait for it.
        foreach (var symbol in bars.Select(b => b.Symbol).Distinct())
        {
            await grains.GetGrain<ISymbolGrain>(symbol).OrderPathSettled();
        }
    }
}
