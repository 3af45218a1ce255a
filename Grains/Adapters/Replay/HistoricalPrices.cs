using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>Closes of several symbols from the historical kline files, aligned on bar open time (for analytics).</summary>
public sealed class HistoricalPrices(ReplayOptions options)
{
    /// <summary>The symbols with a kline file in <c>Trading:Replay:DataDirectory</c>, sorted.</summary>
    public IReadOnlyList<string> Symbols()
    {
        var folder = PathResolver.FindExisting(options.DataDirectory);
        return folder is null
            ? []
            : [.. Directory.EnumerateFiles(folder, "*.csv*")
                .Where(CandleCsvReader.IsKlineFile)
                .Select(CandleCsvReader.SymbolOf)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The closes of bars opening in [from, to) that every symbol has, oldest first, keeping the newest
    /// <paramref name="maxBars"/>. Each returned array belongs to the symbol at the same index.
    /// </summary>
    public (IReadOnlyList<DateTimeOffset> OpenTimes, IReadOnlyList<double[]> Closes) Aligned(
        IReadOnlyList<string> symbols, DateTimeOffset? from, DateTimeOffset? to, int maxBars)
    {
        var folder = PathResolver.FindExisting(options.DataDirectory)
            ?? throw new DirectoryNotFoundException($"Trading:Replay:DataDirectory '{options.DataDirectory}' was not found");
        var bySymbol = symbols.Select(symbol =>
        {
            var path = CandleCsvReader.FindFile(folder, symbol)
                ?? throw new FileNotFoundException($"No kline file for {symbol} in {options.DataDirectory}.");
            // Only open times and closes are read here: the bar length is not needed.
            return CandleCsvReader.Read(path, TimeSpan.Zero, (_, _) => { })
                .Where(c => (from is null || c.OpenTime >= from) && (to is null || c.OpenTime < to))
                .ToDictionary(c => c.OpenTime, c => (double)c.Close);
        }).ToArray();

        var times = bySymbol[0].Keys
            .Where(time => bySymbol.All(closes => closes.ContainsKey(time)))
            .Order()
            .ToArray();
        times = times[Math.Max(0, times.Length - maxBars)..];
        return (times, [.. bySymbol.Select(closes => times.Select(time => closes[time]).ToArray())]);
    }
}
