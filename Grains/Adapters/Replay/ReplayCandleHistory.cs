using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>
/// The bars before a point in time from the kline files the replay reads (<c>Trading:Replay:DataDirectory</c>), when
/// this process replays them: with the replay off, the symbols' bars come from elsewhere (a Kafka topic another
/// process fills), and these files need not be what they saw.
/// </summary>
public sealed class ReplayCandleHistory(IOptions<ReplayOptions> options) : ICandleHistory
{
    // The replay's own bar length, measured once over the files it replays: every bar a symbol took had it.
    private readonly Lazy<TimeSpan> _interval = new(() => options.Value.CandleInterval ?? ReplayFeed.BarInterval(ReplayService.SelectFiles(options.Value)));

    public Task<IReadOnlyList<Candle>> Before(string symbol, DateTimeOffset through, int count, CancellationToken cancellationToken) =>
        // The file is read off the grain's scheduler: it is a blocking read of up to months of bars.
        Task.Run(() => Read(symbol, through, count), cancellationToken);

    private IReadOnlyList<Candle> Read(string symbol, DateTimeOffset through, int count)
    {
        if (!options.Value.Enabled || PathResolver.FindExisting(options.Value.DataDirectory) is not { } folder || CandleCsvReader.FindFile(folder, symbol) is not { } file)
        {
            return [];
        }

        var newest = new Queue<Candle>(count);
        foreach (var bar in CandleCsvReader.Read(file, _interval.Value, (_, _) => { }).TakeWhile(bar => bar.OpenTime <= through))
        {
            if (newest.Count == count)
            {
                newest.Dequeue();
            }

            newest.Enqueue(bar);
        }

        return [.. newest];
    }
}
