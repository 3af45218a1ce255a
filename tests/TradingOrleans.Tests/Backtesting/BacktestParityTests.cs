using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestParityTests
{
    private static readonly DateTimeOffset March1 = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_replay_through_the_live_path_and_a_backtest_of_the_same_bars_and_configs_place_the_same_orders()
    {
        string[] symbols = ["BTCUSDT", "ETHUSDT"];
        var (from, to) = (March1, March1.AddDays(2));

        // The live path: the embedded silo on the wall clock, the replay feed publishing on the market channel, the
        // default strategies seeded, the paper venue filling on the next bar.
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from.ToString("O"), to.ToString("O"), symbols);
        settings["Trading:Broker:Paper:Fills:Model"] = "NextBarOpen";
        List<BacktestFill> live;
        await using (var cluster = await TradingTestCluster.StartAsync(settings))
        {
            await cluster.Replay.Completion;
            var orders = await Task.WhenAll(symbols.Select(s => cluster.Client.GetGrain<IExecutionGrain>(s).GetOrders(1_000)));
            live = [.. orders.SelectMany(o => o).SelectMany(o => o.Fills)
                .Select(f => new BacktestFill(f.FilledAt, f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, f.ClientOrderId))];
        }

        var backtest = await BacktestEngine.RunAsync(new BacktestSpec(DefaultStrategies.For(symbols), from, to, symbols),
            new ConfigurationBuilder().Build(), new HistoricalData("data/binance-usdt-2021-5m"),
            Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl"), null, CancellationToken.None);

        static IEnumerable<BacktestFill> InOrder(IEnumerable<BacktestFill> fills) =>
            fills.OrderBy(f => f.Time).ThenBy(f => f.Symbol, StringComparer.Ordinal).ThenBy(f => f.OrderId, StringComparer.Ordinal);
        Assert.True(backtest.Fills.Count > 20, $"only {backtest.Fills.Count} fills");
        Assert.Equal(InOrder(backtest.Fills), InOrder(live));
    }
}
