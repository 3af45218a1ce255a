using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Support.FakeBinanceStreamServer;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>The feed against a local server speaking Binance's stream protocol, with faults.</summary>
public sealed class BinanceMarketDataFeedTests
{
    private static string Trade(long id) => BinanceFixtures.Combined("btcusdt@trade", BinanceFixtures.Trade("BTCUSDT", id, "29000.5"));

    private static string BookTicker() => BinanceFixtures.Combined("btcusdt@bookTicker", BinanceFixtures.Raw("bookTicker").Replace("BNBUSDT", "BTCUSDT"));

    [Fact]
    public async Task Feed_survives_drops_malformed_frames_and_a_shutdown_notice_and_reports_the_gap()
    {
        await using var server = await StartAsync(
            ([Trade(100), BookTicker(), Trade(101), "{not json", Trade(103)], Ending.Abort),
            ([Trade(104), BinanceFixtures.Raw("serverShutdown.combined")], Ending.HoldOpen),
            ([BinanceFixtures.Raw("subscribe.response"), Trade(105)], Ending.HoldOpen));
        var publisher = new RecordingPublisher();
        var feed = new BinanceMarketDataFeed(publisher, Options.Create(new BinanceMarketDataOptions
        {
            BaseUrl = server.BaseUrl,
            Symbols = ["BTCUSDT"],
            Streams = ["trade", "bookTicker"],
            InitialReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        }), TimeProvider.System, TestMetrics.Create(), NullLogger<BinanceMarketDataFeed>.Instance);

        using var stop = new CancellationTokenSource();
        var running = feed.RunAsync(stop.Token);
        await Eventually.True(() => publisher.Records.OfType<MarketTick>().Any(t => t.TradeId == 105));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal([100L, 101, 103, 104, 105], publisher.Records.OfType<MarketTick>().Select(t => t.TradeId));
        Assert.All(publisher.Records.OfType<MarketTick>(), t => Assert.Equal(29000.5m, t.Price));
        Assert.Equal(25.3519m, Assert.Single(publisher.Records.OfType<Quote>()).BidPrice);
        Assert.Equal(1, feed.MissedTrades);
        Assert.Equal(3, feed.Connections);
        Assert.All(server.Requests, r => Assert.Equal("/stream?streams=btcusdt@trade/btcusdt@bookTicker", r));
    }

    [Fact]
    public async Task Unreachable_server_is_retried_with_backoff_until_it_answers()
    {
        // Nothing listens here until the server below starts on another port; point the feed at a closed port first.
        var feed = new BinanceMarketDataFeed(new RecordingPublisher(), Options.Create(new BinanceMarketDataOptions
        {
            BaseUrl = "ws://127.0.0.1:1",
            Symbols = ["BTCUSDT"],
            InitialReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(20),
        }), TimeProvider.System, TestMetrics.Create(), NullLogger<BinanceMarketDataFeed>.Instance);

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => feed.RunAsync(stop.Token));

        Assert.Equal(0, feed.Connections);
    }

    [Fact]
    public void Options_refuse_two_bar_sources_and_unknown_streams()
    {
        var options = new BinanceMarketDataOptions { Streams = ["trade", "kline_1m", "depth"] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.Contains("Unsupported streams: depth"));
        Assert.Contains(errors, e => e!.Contains("one bar source"));
    }
}
