using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>
/// One pair of instruments (key: <c>A|B</c>): aligns both legs bar by bar and runs every pair strategy
/// configured on that ordered pair against the aligned closes.
/// </summary>
public interface IPairGrain : IGrainWithStringKey
{
    Task OnLegClose(Candle candle);

    /// <summary>Replaces the pair strategies this grain runs; strategies no longer listed withdraw their votes.</summary>
    Task Configure(IReadOnlyList<StrategyConfig> strategies);

    /// <summary>Each pair strategy's model and holding. Interleaves: it reads in one synchronous step, so a poll never waits for a leg's order path.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<PairState>> GetState();
}
