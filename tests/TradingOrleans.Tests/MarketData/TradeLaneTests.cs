using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.MarketData;

/// <summary>Trades on the broadcast channel go through a lane per symbol: queued at once, delivered in order, none lost.</summary>
public sealed class TradeLaneTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_burst_of_trades_reaches_the_grains_in_order_and_complete()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:MarketData:CandleInterval"] = "00:01:00";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var publisher = Assert.IsType<ChannelMarketDataPublisher>(
            cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IMarketDataPublisher>());

        // Two symbols, 3,000 trades each in the first minute, then one trade in the next minute to close the bar.
        // Published without pause: most queue while a delivery is in flight and go to the grain in batches.
        string[] symbols = ["BTCUSDT", "ETHUSDT"];
        const int trades = 3_000;
        var publishing = new List<Task>();
        for (var i = 0; i <= trades; i++)
        {
            foreach (var symbol in symbols)
            {
                var time = i < trades ? Start.AddMilliseconds(i * 10) : Start.AddMinutes(1);
                publishing.Add(publisher.PublishAsync(new MarketTick(symbol, i, 100m + i, 0.5m, time, DateTimeOffset.UtcNow)));
            }
        }

        Assert.All(publishing, task => Assert.True(task.IsCompletedSuccessfully, "a publish waited although its lane had room"));
        await publisher.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var symbol in symbols)
        {
            var bar = Assert.Single(await cluster.Client.GetGrain<ISymbolGrain>(symbol).GetRecentCandles(10));
            // Every trade counted once and in exchange order: the first is the open, the last of the minute the close.
            Assert.Equal((Start, 100m, 100m + trades - 1, 100m + trades - 1, 100m, trades * 0.5m),
                (bar.OpenTime, bar.Open, bar.High, bar.Close, bar.Low, bar.Volume));
        }
    }
}
