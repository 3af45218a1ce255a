using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;
using static TradingOrleans.Tests.Support.FakeBinanceStreamServer;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>A silo with <c>Trading:MarketData:Source=Binance</c> against a local Binance-protocol server.</summary>
public sealed class BinanceSiloTests
{
    [Fact]
    public async Task Live_trades_become_one_minute_bars_and_quotes_in_the_symbol_grain()
    {
        var start = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        string Trade(long id, string price, int second) =>
            BinanceFixtures.Combined("ethusdt@trade", BinanceFixtures.Trade("ETHUSDT", id, price, start.AddSeconds(second)));
        await using var server = await StartAsync(([
            Trade(1, "3000.10", 5), Trade(2, "3010.00", 30), Trade(3, "2995.50", 59),
            Trade(4, "3001.00", 61), Trade(5, "3002.00", 125),
            BinanceFixtures.Combined("ethusdt@bookTicker", BinanceFixtures.Raw("bookTicker").Replace("BNBUSDT", "ETHUSDT")),
        ], Ending.HoldOpen));
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:MarketData:Source"] = "Binance";
        settings["Trading:MarketData:CandleInterval"] = "00:01:00";
        settings["Trading:MarketData:Binance:BaseUrl"] = server.BaseUrl;
        settings["Trading:MarketData:Binance:Symbols:0"] = "ETHUSDT";
        await using var cluster = await TradingTestCluster.StartAsync(settings);

        var symbol = cluster.Client.GetGrain<ISymbolGrain>("ETHUSDT");
        var bars = await Eventually.Returns(() => symbol.GetRecentCandles(10), b => b.Count == 2);

        // 10:00 bar: trades 1–3 (open 3000.10, high 3010, low 2995.50, close 2995.50, volume 3 × 100);
        // 10:01 bar: trade 4 alone, closed by trade 5 at 10:02:05.
        Assert.Equal((start, 3000.10m, 3010.00m, 2995.50m, 2995.50m, 300m), (bars[0].OpenTime, bars[0].Open, bars[0].High, bars[0].Low, bars[0].Close, bars[0].Volume));
        Assert.Equal((start.AddMinutes(1), 3001.00m, 100m), (bars[1].OpenTime, bars[1].Close, bars[1].Volume));
        var quote = await Eventually.Returns(() => symbol.GetQuote(), q => q is not null);
        Assert.Equal(400900217, quote!.UpdateId);
    }
}
