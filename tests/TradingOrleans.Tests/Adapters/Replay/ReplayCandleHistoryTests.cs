using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Replay;

namespace TradingOrleans.Tests.Adapters.Replay;

/// <summary>The bars a reactivated symbol grain recalls, read from the replay's kline files.</summary>
public sealed class ReplayCandleHistoryTests
{
    private static readonly ReplayCandleHistory History = new(Options.Create(new ReplayOptions()));

    [Fact]
    public async Task The_newest_bars_through_a_time_come_from_the_kline_file_oldest_first()
    {
        var bars = await History.Before("BTCUSDT", new DateTimeOffset(2021, 1, 1, 23, 55, 0, TimeSpan.Zero), 3, CancellationToken.None);

        // The file's rows for 23:45, 23:50 and 23:55 (zcat data/binance-usdt-2021-5m/BTCUSDT.csv.gz | sed -n 287,289p).
        Assert.Equal(
            [(1609544700000, 29276.8m, 29277.35m), (1609545000000, 29277.35m, 29300.21m), (1609545300000, 29300.39m, 29331.69m)],
            bars.Select(b => (b.OpenTime.ToUnixTimeMilliseconds(), b.Open, b.Close)));
        Assert.All(bars, b => Assert.Equal(("BTCUSDT", TimeSpan.FromMinutes(5)), (b.Symbol, b.Interval)));
    }

    [Fact]
    public async Task A_symbol_without_a_file_a_missing_folder_or_a_time_before_the_first_bar_has_no_history()
    {
        Assert.Empty(await History.Before("XRPUSDT", new DateTimeOffset(2021, 1, 2, 0, 0, 0, TimeSpan.Zero), 10, CancellationToken.None));
        Assert.Empty(await History.Before("BTCUSDT", new DateTimeOffset(2020, 12, 31, 0, 0, 0, TimeSpan.Zero), 10, CancellationToken.None));
        Assert.Empty(await new ReplayCandleHistory(Options.Create(new ReplayOptions { DataDirectory = "no/such/folder" }))
            .Before("BTCUSDT", new DateTimeOffset(2021, 1, 2, 0, 0, 0, TimeSpan.Zero), 10, CancellationToken.None));
    }

    [Fact]
    public async Task With_the_replay_off_the_files_are_not_what_the_symbols_saw_and_nothing_is_recalled()
    {
        // Bars then come from elsewhere, e.g. a Kafka topic another process fills.
        Assert.Empty(await new ReplayCandleHistory(Options.Create(new ReplayOptions { Enabled = false }))
            .Before("BTCUSDT", new DateTimeOffset(2021, 1, 2, 0, 0, 0, TimeSpan.Zero), 10, CancellationToken.None));
    }
}
