using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>
/// Replays kline files onto the market channel in market-time order across symbols, paced against wall time,
/// stamping each bar's ingest time as it is published. A bar's consequences (orders, fills) settle before a later
/// bar is published, as they would have in the market: a backtest must not risk-check or fill an order against
/// prices from its future, however fast it runs.
/// </summary>
public sealed class ReplayFeed(
    IMarketDataPublisher publisher,
    TimeProvider time,
    TradingMetrics metrics,
    ILogger<ReplayFeed> logger)
{
    /// <summary>
    /// Publishes every bar that opens after <paramref name="resumeAfter"/>, market time by market time; returns the last
    /// bar time published. <paramref name="step"/> is handed each market time's bars before they are published, and
    /// each bar's consequences are settled through it before the next bar is published.
    /// </summary>
    public async Task<DateTimeOffset?> RunAsync(
        IReadOnlyList<string> files,
        ReplayOptions options,
        DateTimeOffset? resumeAfter,
        Func<DateTimeOffset, Task> onProgress,
        IReplayStep step,
        CancellationToken cancellationToken)
    {
        var interval = options.CandleInterval ?? BarInterval(files);
        var sources = files.Select(f => Read(f, interval, options).GetEnumerator()).ToList();
        try
        {
            var queue = new PriorityQueue<IEnumerator<Candle>, (DateTimeOffset, string)>();
            foreach (var source in sources)
            {
                Enqueue(queue, source, resumeAfter);
            }

            DateTimeOffset? firstBar = null, lastBar = null;
            var startedAt = time.GetTimestamp();
            long published = 0;
            var lastProgress = startedAt;
            var bars = new List<Candle>();
            while (NextMarketTime(queue, bars))
            {
                // At speed 0 nothing below waits on the token, so a stop (or a cancelled backtest) would replay to the end.
                cancellationToken.ThrowIfCancellationRequested();
                var openTime = bars[0].OpenTime;
                firstBar ??= openTime;
                await WaitUntilDue(openTime - firstBar.Value, startedAt, options.SpeedMultiplier, cancellationToken);
                await Tolerate(() => step.OpenAsync(bars, cancellationToken), $"opening the bars of {openTime:u}", options, cancellationToken);

                // One symbol at a time, each settling before the next: risk and the portfolio take the symbols' orders
                // in the same order on every run, so a replay decides the same way however its grains are scheduled.
                foreach (var candle in bars)
                {
                    if (await Publish(candle, options, cancellationToken))
                    {
                        published++;
                        await Tolerate(() => step.SettleAsync(candle, cancellationToken), $"waiting for the order path of {candle.Symbol}", options, cancellationToken);
                    }
                }

                lastBar = openTime;
                if (time.GetElapsedTime(lastProgress) > TimeSpan.FromSeconds(1))
                {
                    await Tolerate(() => onProgress(openTime), "saving the replay's progress", options, cancellationToken);
                    lastProgress = time.GetTimestamp();
                }
            }

            if (lastBar is { } end)
            {
                await Tolerate(() => onProgress(end), "saving the replay's progress", options, cancellationToken);
            }

            logger.LogInformation("Replay finished: {Published} bars published, last bar {LastBar:u}", published, lastBar);
            return lastBar;
        }
        finally
        {
            sources.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Takes every bar of the earliest market time left, in symbol order, into <paramref name="bars"/>; false when none is left.</summary>
    private static bool NextMarketTime(PriorityQueue<IEnumerator<Candle>, (DateTimeOffset, string)> queue, List<Candle> bars)
    {
        bars.Clear();
        while (queue.TryPeek(out _, out var next) && (bars.Count == 0 || next.Item1 == bars[0].OpenTime))
        {
            var source = queue.Dequeue();
            bars.Add(source.Current);
            if (source.MoveNext())
            {
                queue.Enqueue(source, (source.Current.OpenTime, source.Current.Symbol));
            }
        }

        return bars.Count > 0;
    }

    /// <summary>Publishes one bar; false when its delivery failed (logged and counted: the replay carries on).</summary>
    private async Task<bool> Publish(Candle candle, ReplayOptions options, CancellationToken cancellationToken) =>
        await Tolerate(() => publisher.PublishAsync(candle with { IngestedAt = time.GetUtcNow() }), $"publishing the {candle.Symbol} bar of {candle.OpenTime:u}", options, cancellationToken)
        || Undelivered(candle.Symbol);

    private bool Undelivered(string symbol)
    {
        metrics.MarketDataUndelivered(symbol, 1);
        return false;
    }

    /// <summary>
    /// Runs one step of the replay; a failure (a grain call timing out behind a stuck venue, say) is logged and the replay
    /// carries on: market data must not stop for good because one order path did not finish. With
    /// <see cref="ReplayOptions.StopOnFailure"/> (backtests) the failure ends the replay instead.
    /// </summary>
    private async Task<bool> Tolerate(Func<Task> step, string what, ReplayOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await step();
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && !options.StopOnFailure)
        {
            logger.LogWarning("Replay: {What} failed ({Error}); carrying on with the next bars", what, e.Message);
            return false;
        }
    }

    private static void Enqueue(PriorityQueue<IEnumerator<Candle>, (DateTimeOffset, string)> queue, IEnumerator<Candle> source, DateTimeOffset? resumeAfter)
    {
        while (source.MoveNext())
        {
            if (resumeAfter is null || source.Current.OpenTime > resumeAfter)
            {
                queue.Enqueue(source, (source.Current.OpenTime, source.Current.Symbol));
                return;
            }
        }
    }

    /// <summary>The files' bar length: the shortest a file shows (<see cref="DataRange"/>), as a backtest measures it.</summary>
    internal static TimeSpan BarInterval(IReadOnlyList<string> files)
    {
        var measured = files.Select(DataRange.Of).OfType<DataRange>().Select(range => range.Interval).ToList();
        return measured.Count > 0
            ? measured.Min()
            : throw new InvalidDataException(
                $"Trading:Replay: no file of {string.Join(", ", files.Select(Path.GetFileName))} has two bars to measure the bar length from; set Trading:Replay:CandleInterval");
    }

    private IEnumerable<Candle> Read(string file, TimeSpan interval, ReplayOptions options)
    {
        var reported = false;
        var candles = CandleCsvReader.Read(file, interval, (line, text) =>
        {
            metrics.MalformedMarketData(CandleCsvReader.SymbolOf(file));
            if (!reported)
            {
                // Logged once per file; the counter carries the rest.
                logger.LogWarning("{File}:{Line}: malformed row skipped: {Row}", file, line, text);
                reported = true;
            }
        });
        return candles
            .SkipWhile(c => options.From is { } from && c.OpenTime < from)
            .TakeWhile(c => options.To is not { } to || c.OpenTime < to);
    }

    private async Task WaitUntilDue(TimeSpan marketElapsed, long startedAt, double speed, CancellationToken cancellationToken)
    {
        if (speed <= 0)
        {
            return;
        }

        var due = marketElapsed / speed - time.GetElapsedTime(startedAt);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, time, cancellationToken);
        }
    }
}
