using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TradingOrleans.Grains.MarketData;

/// <summary>
/// Collects gen 0 shortly before each bar closes, by the wall clock as live trades cut bars, so that the bar-close
/// burst — every symbol's bar, its strategies and its orders at once — starts with the whole gen-0 budget free and is
/// not paused by a collection. The collection comes where the process is quiet (only trades arrive), and it is cheap:
/// it finds what one bar's trades left behind. Off with <see cref="MarketDataOptions.CollectBeforeBarClose"/>.
/// </summary>
public sealed class BarCloseCollector(IOptions<MarketDataOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CandleInterval;
        if (interval <= TimeSpan.Zero)
        {
            // No bars are cut by time: there is no close to collect before.
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            await Task.Delay(NextCollection(now, interval) - now, time, stoppingToken);
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }
    }

    /// <summary>
    /// When to collect next: a tenth of the bar (at most 100 ms) before the next bar boundary after
    /// <paramref name="now"/>, boundaries counted from the Unix epoch as the symbol grains cut bars.
    /// </summary>
    public static DateTimeOffset NextCollection(DateTimeOffset now, TimeSpan interval)
    {
        var lead = TimeSpan.FromTicks(Math.Min(interval.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks));
        var sinceEpoch = (now - DateTimeOffset.UnixEpoch).Ticks;
        var next = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - sinceEpoch % interval.Ticks + interval.Ticks) - lead;
        return next > now ? next : next + interval;
    }
}
