using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>The bars a reactivated symbol grain recalls with Binance streams: klines from a local Binance-speaking server.</summary>
public sealed class BinanceCandleHistoryTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private static readonly DateTimeOffset LastBar = new(2021, 1, 1, 23, 55, 0, TimeSpan.Zero);

    private static Task<FakeBinanceKlines> Start() =>
        FakeBinanceKlines.StartAsync(Time, new Dictionary<string, string> { ["5m"] = Path.GetDirectoryName(RepoData.File("BTCUSDT"))! });

    private static BinanceCandleHistory History(string? historyUrl, string stream = "trade", string streamUrl = "ws://127.0.0.1:1") =>
        new(Options.Create(new BinanceMarketDataOptions { BaseUrl = streamUrl, HistoryBaseUrl = historyUrl, Streams = [stream] }),
            Options.Create(new MarketDataOptions { CandleInterval = TimeSpan.FromMinutes(5) }), Time, NullLogger<BinanceCandleHistory>.Instance);

    [Fact]
    public async Task The_newest_klines_through_the_last_bar_are_recalled_oldest_first_at_the_streams_bar_length()
    {
        await using var binance = await Start();
        using var history = History(binance.RestUrl);

        var bars = await history.Before("BTCUSDT", LastBar, 3, CancellationToken.None);

        // The file's rows for 23:45, 23:50 and 23:55 (zcat data/binance-usdt-2021-5m/BTCUSDT.csv.gz | sed -n 287,289p), in 8 decimals.
        Assert.Equal(
            [(1609544700000, 29276.8m, 29277.35m), (1609545000000, 29277.35m, 29300.21m), (1609545300000, 29300.39m, 29331.69m)],
            bars.Select(b => (b.OpenTime.ToUnixTimeMilliseconds(), b.Open, b.Close)));
        Assert.All(bars, b => Assert.Equal(("BTCUSDT", TimeSpan.FromMinutes(5)), (b.Symbol, b.Interval)));
        var request = Assert.Single(binance.KlinesRequests);
        Assert.Equal(("BTCUSDT", "5m", 1609544700000, "1609545300000"),
            (request.Query["symbol"], request.Query["interval"], request.StartTime, request.Query["endTime"]));
    }

    [Fact]
    public async Task More_than_a_page_is_read_page_by_page_and_a_kline_stream_sets_the_bar_length()
    {
        await using var binance = await Start();
        using var history = History(binance.RestUrl, stream: "kline_5m");

        var bars = await history.Before("BTCUSDT", LastBar.AddDays(6), 1_500, CancellationToken.None);

        Assert.Equal(1_500, bars.Count);
        Assert.Equal(LastBar.AddDays(6), bars[^1].OpenTime);
        Assert.All(bars.Zip(bars.Skip(1)), p => Assert.Equal(TimeSpan.FromMinutes(5), p.Second.OpenTime - p.First.OpenTime));
        Assert.Equal(2, binance.KlinesRequests.Count);
    }

    [Fact]
    public async Task Without_a_known_network_a_bar_length_Binance_has_or_an_answer_nothing_is_recalled()
    {
        // Streams on this machine and no history URL set: nothing to ask.
        using var local = History(historyUrl: null);
        Assert.Empty(await local.Before("BTCUSDT", LastBar, 3, CancellationToken.None));

        // A rate-limited answer is not waited out: the grain catches it and re-learns from the feed.
        await using var binance = await Start();
        binance.Faults[1] = FakeBinanceKlines.Fault.TooManyRequests(30);
        using var limited = History(binance.RestUrl);
        await Assert.ThrowsAnyAsync<Exception>(() => limited.Before("BTCUSDT", LastBar, 3, CancellationToken.None));
    }

    [Fact]
    public void The_history_url_follows_the_streams_network_unless_set()
    {
        Assert.Equal("https://api.binance.com", new BinanceMarketDataOptions { BaseUrl = BinanceEndpoints.Live.MarketStreamUrl }.HistoryUrl());
        Assert.Equal("https://testnet.binance.vision", new BinanceMarketDataOptions { BaseUrl = BinanceEndpoints.Testnet.MarketStreamUrl }.HistoryUrl());
        Assert.Null(new BinanceMarketDataOptions { BaseUrl = "ws://127.0.0.1:9443" }.HistoryUrl());
        Assert.Equal("http://127.0.0.1:5000", new BinanceMarketDataOptions { BaseUrl = "ws://127.0.0.1:9443", HistoryBaseUrl = "http://127.0.0.1:5000" }.HistoryUrl());
    }
}
