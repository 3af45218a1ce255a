using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Replay;

public sealed class ReplayFeedTests
{
    private static readonly DateTimeOffset Jan1 = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (ReplayFeed Feed, RecordingPublisher Publisher, FakeTimeProvider Time) Create()
    {
        var publisher = new RecordingPublisher();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        return (new ReplayFeed(publisher, time, TestMetrics.Create(), NullLogger<ReplayFeed>.Instance), publisher, time);
    }

    private static readonly IReplayStep Settled = new Step(_ => Task.CompletedTask);

    /// <summary>A step that notes each market time it opens and settles each bar with the given callback.</summary>
    private sealed class Step(Func<Candle, Task> settle, List<string>? opened = null) : IReplayStep
    {
        public Task OpenAsync(IReadOnlyList<Candle> bars, CancellationToken cancellationToken)
        {
            opened?.Add($"opened {bars[0].OpenTime:HH:mm} {string.Join(" ", bars.Select(b => b.Symbol))}");
            return Task.CompletedTask;
        }

        public Task SettleAsync(Candle bar, CancellationToken cancellationToken) => settle(bar);
    }

    private static ReplayOptions Window(int bars) => new() { SpeedMultiplier = 0, From = Jan1, To = Jan1.AddMinutes(5 * bars) };

    [Fact]
    public async Task Bars_of_several_symbols_are_published_in_market_time_order_with_an_ingest_time()
    {
        var (feed, publisher, time) = Create();
        var progress = new List<DateTimeOffset>();

        var last = await feed.RunAsync([RepoData.File("ETHUSDT"), RepoData.File("BTCUSDT")], Window(3), null,
            t => { progress.Add(t); return Task.CompletedTask; }, Settled, CancellationToken.None);

        Assert.Equal(
            ["BTCUSDT 00:00", "ETHUSDT 00:00", "BTCUSDT 00:05", "ETHUSDT 00:05", "BTCUSDT 00:10", "ETHUSDT 00:10"],
            publisher.Candles.Select(c => $"{c.Symbol} {c.OpenTime:HH:mm}"));
        Assert.All(publisher.Candles, c => Assert.Equal(time.GetUtcNow(), c.IngestedAt));
        Assert.Equal(Jan1.AddMinutes(10), last);
        Assert.Equal([Jan1.AddMinutes(10)], progress);
    }

    [Fact]
    public async Task Each_market_time_opens_before_its_bars_and_each_bar_settles_before_the_next_is_published()
    {
        var (feed, publisher, _) = Create();
        var steps = new List<string>();

        await feed.RunAsync([RepoData.File("ETHUSDT"), RepoData.File("BTCUSDT")], Window(2), null, _ => Task.CompletedTask,
            new Step(bar =>
            {
                steps.Add($"settled {bar.Symbol} after {publisher.Candles.Count} bars");
                return Task.CompletedTask;
            }, steps),
            CancellationToken.None);

        Assert.Equal(
            [
                "opened 00:00 BTCUSDT ETHUSDT", "settled BTCUSDT after 1 bars", "settled ETHUSDT after 2 bars",
                "opened 00:05 BTCUSDT ETHUSDT", "settled BTCUSDT after 3 bars", "settled ETHUSDT after 4 bars",
            ],
            steps);
    }

    [Fact]
    public async Task Without_a_bar_length_set_the_replay_measures_it_so_a_folder_of_1_minute_bars_replays_as_1_minute_bars()
    {
        var (feed, publisher, _) = Create();
        var files = new[] { "BTCUSDT", "ETHUSDT" }.Select(s => Path.Combine(RepoData.OneMinuteFolder, $"{s}.csv.gz")).ToArray();

        await feed.RunAsync(files, new ReplayOptions { SpeedMultiplier = 0 }, null, _ => Task.CompletedTask, Settled, CancellationToken.None);

        Assert.Equal(2 * 1156, publisher.Candles.Count);
        Assert.All(publisher.Candles, c => Assert.Equal(TimeSpan.FromMinutes(1), c.Interval));
        // The maintenance gap stays a gap: the bar before it closes at 04:01, the next opens at 08:45.
        var btc = publisher.Candles.Where(c => c.Symbol == "BTCUSDT").ToList();
        var gap = Assert.Single(btc.Zip(btc.Skip(1)), pair => pair.Second.OpenTime != pair.First.CloseTime);
        Assert.Equal((new DateTimeOffset(2021, 4, 25, 4, 1, 0, TimeSpan.Zero), new DateTimeOffset(2021, 4, 25, 8, 45, 0, TimeSpan.Zero)),
            (gap.First.CloseTime, gap.Second.OpenTime));
    }

    [Fact]
    public async Task Resuming_skips_every_bar_up_to_the_last_one_published()
    {
        var (feed, publisher, _) = Create();

        await feed.RunAsync([RepoData.File("BTCUSDT")], Window(4), resumeAfter: Jan1.AddMinutes(5), _ => Task.CompletedTask, Settled, CancellationToken.None);

        Assert.Equal([Jan1.AddMinutes(10), Jan1.AddMinutes(15)], publisher.Candles.Select(c => c.OpenTime));
    }

    [Fact]
    public async Task Paced_replay_waits_for_wall_time_proportional_to_market_time()
    {
        var (feed, publisher, time) = Create();
        // 3000x: a 5-minute bar every 100 ms.
        var options = Window(3);
        options.SpeedMultiplier = 3000;

        var run = feed.RunAsync([RepoData.File("BTCUSDT")], options, null, _ => Task.CompletedTask, Settled, CancellationToken.None);
        await Eventually.True(() => publisher.Candles.Count == 1);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(publisher.Candles);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.True(() => publisher.Candles.Count == 2);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await run;
        Assert.Equal(3, publisher.Candles.Count);
    }

    /// <summary>Fails the publish of the bars it is told to, like a grain call timing out behind a stuck order path.</summary>
    private sealed class FailingPublisher(RecordingPublisher inner, Func<Candle, bool> fails) : IMarketDataPublisher
    {
        public Task PublishAsync(Candle candle) => fails(candle) ? Task.FromException(new TimeoutException("no answer within 30 s")) : inner.PublishAsync(candle);

        public Task PublishAsync(MarketTick tick) => inner.PublishAsync(tick);

        public Task PublishAsync(Quote quote) => inner.PublishAsync(quote);
    }

    [Fact]
    public async Task A_failed_publish_settle_or_progress_write_is_logged_and_the_replay_carries_on()
    {
        var recorded = new RecordingPublisher();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var feed = new ReplayFeed(new FailingPublisher(recorded, c => c.OpenTime == Jan1.AddMinutes(5)), time, TestMetrics.Create(), NullLogger<ReplayFeed>.Instance);
        var settles = 0;

        var last = await feed.RunAsync([RepoData.File("BTCUSDT")], Window(4), null, _ => throw new TimeoutException("progress grain"),
            new Step(_ => ++settles == 1 ? throw new TimeoutException("order path did not settle") : Task.CompletedTask), CancellationToken.None);

        Assert.Equal(["00:00", "00:10", "00:15"], recorded.Candles.Select(c => $"{c.OpenTime:HH:mm}"));
        Assert.Equal(Jan1.AddMinutes(15), last);
        // Each bar published settles; the one whose publish failed has nothing to settle.
        Assert.Equal(3, settles);
    }
}
