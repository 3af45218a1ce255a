using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// The share of a day's volume traded in each time-of-day bucket (UTC), learned from historical bars: the mean
/// volume of each bucket over the days seen, normalised to sum to 1. Shares of a span of time add up the buckets
/// it covers, partial buckets pro rata, wrapping past midnight.
/// </summary>
public sealed class VolumeProfile
{
    private readonly double[] _shares;

    private VolumeProfile(TimeSpan bucket, double[] shares) => (Bucket, _shares) = (bucket, shares);

    public TimeSpan Bucket { get; }

    public IReadOnlyList<double> Shares => _shares;

    /// <summary>Equal volume at every time of day (the fallback when no history is known).</summary>
    public static VolumeProfile Uniform(TimeSpan bucket)
    {
        var count = BucketsPerDay(bucket);
        return new VolumeProfile(bucket, [.. Enumerable.Repeat(1.0 / count, count)]);
    }

    public static VolumeProfile Learn(IEnumerable<Candle> bars, TimeSpan bucket)
    {
        var count = BucketsPerDay(bucket);
        var sums = new double[count];
        var days = new int[count];
        foreach (var bar in bars)
        {
            var index = (int)(bar.OpenTime.UtcDateTime.TimeOfDay / bucket);
            sums[index] += (double)bar.Volume;
            days[index]++;
        }

        var means = sums.Select((sum, i) => days[i] > 0 ? sum / days[i] : 0).ToArray();
        var total = means.Sum();
        return total > 0 ? new VolumeProfile(bucket, [.. means.Select(m => m / total)]) : Uniform(bucket);
    }

    /// <summary>Expected share of a day's volume traded between two instants.</summary>
    public double Share(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        var share = 0.0;
        var cursor = from;
        while (cursor < to)
        {
            var timeOfDay = cursor.UtcDateTime.TimeOfDay;
            var index = (int)(timeOfDay / Bucket);
            var bucketEnd = cursor - (timeOfDay - index * Bucket) + Bucket;
            var end = bucketEnd < to ? bucketEnd : to;
            share += _shares[index] * ((end - cursor) / Bucket);
            cursor = end;
        }

        return share;
    }

    private static int BucketsPerDay(TimeSpan bucket) =>
        bucket > TimeSpan.Zero && TimeSpan.FromDays(1).Ticks % bucket.Ticks == 0
            ? (int)(TimeSpan.FromDays(1) / bucket)
            : throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "A bucket must divide the day evenly.");
}
