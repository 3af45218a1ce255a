using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestEngineTests
{
    private static readonly DateTimeOffset March1 = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IConfiguration Installation = new ConfigurationBuilder().Build();

    private static HistoricalData RepoData => new("data/binance-usdt-2021-5m");

    /// <summary>The default strategies (SMA crossover, RSI, both pairs) on BTC and ETH over three days of March 2021.</summary>
    private static BacktestSpec ThreeDays() =>
        new(DefaultStrategies.For(["BTCUSDT", "ETHUSDT"]), March1, March1.AddDays(3), []);

    private static Task<BacktestRecording> Run(BacktestSpec spec) =>
        BacktestEngine.RunAsync(spec, Installation, RepoData, AuditPath(), progress: null, CancellationToken.None);

    private static string AuditPath() => Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");

    [Fact]
    public async Task A_backtest_trades_the_strategies_on_history_and_fills_at_the_next_bars_open()
    {
        var spec = ThreeDays();
        Assert.Empty(spec.Validate(RepoData, "USDT", new ModelStore("models")));

        var run = await Run(spec);

        Assert.Equal(2 * 3 * 288, run.Bars);
        Assert.Equal(3 * 288, run.Equity.Count);
        Assert.NotEmpty(run.Fills);
        var opens = run.Prices.ToDictionary(p => p.Key, p => p.Value);
        foreach (var fill in run.Fills)
        {
            // A fill is stamped at the open of the bar that made it, never at the close of the bar whose signal sent it.
            Assert.Equal(0, fill.Time.Minute % 5);
        }
    }

    [Fact]
    public async Task The_same_backtest_twice_gives_identical_fills_and_equity()
    {
        var first = await Run(ThreeDays());
        var second = await Run(ThreeDays());

        Assert.Equal(first.Fills, second.Fills);
        Assert.Equal(first.Equity, second.Equity);
    }
}
