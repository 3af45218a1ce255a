namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>The bars of a kline file: first and last bar open, and the bar length.</summary>
/// <param name="Interval">The bar length: the shortest step between two bars of the file (an exchange gap only lengthens a step).</param>
public sealed record DataRange(DateTimeOffset First, DateTimeOffset Last, TimeSpan Interval)
{
    /// <summary>The range of bar open times taken in file order; null with fewer than two bars (no step to measure).</summary>
    public static DataRange? Of(IEnumerable<DateTimeOffset> openTimes)
    {
        DateTimeOffset? first = null, last = null;
        var interval = TimeSpan.MaxValue;
        foreach (var openTime in openTimes)
        {
            if (last is { } previous && openTime > previous && openTime - previous < interval)
            {
                interval = openTime - previous;
            }

            first ??= openTime;
            last = openTime;
        }

        return first is { } start && interval != TimeSpan.MaxValue ? new DataRange(start, last!.Value, interval) : null;
    }

    /// <summary>The range of a kline file's bars (<see cref="CandleCsvReader"/>); null with fewer than two.</summary>
    public static DataRange? Of(string path) => Of(CandleCsvReader.Read(path, TimeSpan.Zero, (_, _) => { }).Select(bar => bar.OpenTime));
}
