using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Signals;

public sealed class TrackRecordPersistenceTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Fact]
    public async Task Weights_from_attributed_pnl_and_the_track_records_survive_a_restart()
    {
        var database = TestSettings.NewDatabasePath();
        StrategyPerformance before;
        await using (var first = await TradingTestCluster.StartAsync(
            TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", Symbols)))
        {
            await first.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
            before = (await first.Client.GetGrain<ISignalAggregatorGrain>("ETHUSDT").GetSignals()).Performance!
                .Single(p => p.StrategyId == "sma-4h-1d");

            // The PnL a strategy is weighed by on each symbol adds up to its shadow book's (each rounded to 8 places).
            var portfolio = first.Client.GetGrain<IPortfolioGrain>(0);
            var perSymbol = (await Task.WhenAll(Symbols.Select(symbol => portfolio.GetStrategyPnl(symbol)))).SelectMany(p => p).ToArray();
            var books = (await portfolio.GetAttribution()).Books;
            Assert.NotEmpty(books);
            Assert.All(books, book => Assert.InRange(
                book.NetPnl - perSymbol.Where(p => p.StrategyId == book.StrategyId).Sum(p => p.NetPnl), -0.00000002m, 0.00000002m));
        }

        Assert.NotNull(before.AttributedPnl);
        Assert.NotEqual(1.0, before.PerformanceFactor);

        // After the restart each symbol recalls the bars before its last one from the kline files, so the SMA (288 bars, a
        // day) votes from the first new bar: the hit rate goes on from the saved record, and the weight from the shadow
        // book the portfolio saved.
        await using var second = await TradingTestCluster.StartAsync(
            TestSettings.For(database, replay: true, from: "2021-01-03T00:00:00Z", to: "2021-01-04T06:30:00Z", Symbols));
        await second.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
        var after = (await second.Client.GetGrain<ISignalAggregatorGrain>("ETHUSDT").GetSignals()).Performance!
            .Single(p => p.StrategyId == "sma-4h-1d");

        // 366 bars, each judging the vote of the bar before it (the first, the last saved vote): without the recalled
        // bars the SMA would have voted on the last 79 only.
        Assert.Equal(before.JudgedSignals + 366, after.JudgedSignals);
        Assert.Equal(new DateTimeOffset(2021, 1, 4, 5, 55, 0, TimeSpan.Zero), after.AttributedAsOf);
        Assert.NotEqual(0m, after.AttributedNetPnl);
    }
}
