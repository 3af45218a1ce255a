using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

public sealed class BinanceStreamParserTests
{
    private static readonly DateTimeOffset Ingested = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static BinanceFrame Parse(string frame) => BinanceStreamParser.Parse(System.Text.Encoding.UTF8.GetBytes(frame), Ingested);

    [Fact]
    public void Documented_trade_becomes_a_market_tick()
    {
        var frame = Parse(BinanceFixtures.Combined("bnbbtc@trade", BinanceFixtures.Raw("trade")));

        // {"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,…}
        Assert.Equal(BinanceFrameKind.Trade, frame.Kind);
        Assert.Equal(new MarketTick("BNBBTC", 12345, 0.001m, 100m, DateTimeOffset.FromUnixTimeMilliseconds(1672515782136), Ingested), frame.Record);
    }

    [Fact]
    public void Documented_book_ticker_becomes_a_quote()
    {
        var frame = Parse(BinanceFixtures.Combined("bnbusdt@bookTicker", BinanceFixtures.Raw("bookTicker")));

        var quote = Assert.IsType<Quote>(frame.Record);
        Assert.Equal(new Quote("BNBUSDT", 400900217, 25.3519m, 31.21m, 25.3652m, 40.66m, Ingested), quote);
        Assert.Equal(25.35855m, quote.MidPrice);
    }

    [Fact]
    public void An_open_kline_is_not_a_bar_and_a_closed_one_is()
    {
        var open = BinanceFixtures.Raw("kline");

        Assert.Equal(BinanceFrameKind.OpenCandle, Parse(BinanceFixtures.Combined("bnbbtc@kline_1m", open)).Kind);
        var closed = Parse(BinanceFixtures.Combined("bnbbtc@kline_1m", open.Replace("\"x\": false", "\"x\": true")));
        Assert.Equal(
            new Candle("BNBBTC", TimeSpan.FromMinutes(1), DateTimeOffset.FromUnixTimeMilliseconds(1672515780000), 0.001m, 0.0025m, 0.0015m, 0.002m, 1000m, Ingested),
            closed.Record);
    }

    [Fact]
    public void Server_shutdown_and_control_replies_are_recognised()
    {
        Assert.Equal(BinanceFrameKind.ServerShutdown, Parse(BinanceFixtures.Raw("serverShutdown.combined")).Kind);
        Assert.Equal(BinanceFrameKind.Ignored, Parse(BinanceFixtures.Raw("subscribe.response")).Kind);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"abc","q":"1","T":1}}""")]
    [InlineData("""{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"-5","q":"1","T":1}}""")]
    [InlineData("""{"stream":"btcusdt@kline_1M","data":{"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1,"T":2,"i":"1M","o":"1","h":"1","l":"1","c":"1","v":"1","x":true}}}""")]
    public void Malformed_frames_are_reported_not_thrown(string frame)
    {
        var parsed = Parse(frame);

        Assert.Equal(BinanceFrameKind.Malformed, parsed.Kind);
        Assert.False(string.IsNullOrEmpty(parsed.Error));
    }

    [Theory]
    [InlineData("1s", 1)]
    [InlineData("5m", 300)]
    [InlineData("4h", 14_400)]
    [InlineData("1w", 604_800)]
    public void Kline_intervals_are_read_as_durations(string name, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), BinanceStreamParser.Interval(name));
    }
}
