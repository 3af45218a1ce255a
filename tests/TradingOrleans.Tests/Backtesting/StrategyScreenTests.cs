using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class StrategyScreenTests
{
    private static readonly DateTimeOffset March1 = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static HistoricalData RepoData => new("data/binance-usdt-2021-5m");

    private static ScreenBars Bars(DateTimeOffset from, DateTimeOffset to, params string[] symbols) =>
        ScreenBars.Of(symbols.ToDictionary(s => s, s => RepoData.Bars(s, from, to)));

    [Fact]
    public async Task A_screened_combination_makes_within_a_percent_what_the_full_pipeline_attributes_to_it_when_it_trades_alone()
    {
        var config = new StrategyConfig("sma", "sma-crossover", ["BTCUSDT", "ETHUSDT"], new Dictionary<string, double> { ["fast"] = 6, ["slow"] = 24 });
        var spec = new BacktestSpec([config], March1, March1.AddDays(3), []);

        var screen = StrategyScreen.Run(config, Bars(spec.From, spec.To, "BTCUSDT", "ETHUSDT"), new ScreenTerms(spec.InitialCash, 0.2m, new SignalOptions(), spec.EffectiveFills));
        var full = await BacktestEngine.RunAsync(spec, new ConfigurationBuilder().Build(), RepoData,
            Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl"), progress: null, CancellationToken.None);

        // The same strategy, vote and shadow book; the full pipeline's book also re-sizes, at each new price, a target the
        // account did not reach in one order (the aggregator restates it bar by bar): many small trades, little PnL.
        // Measured: −2,138.85 screened against −2,144.23 attributed (0.25 %), 90 trades against 343.
        var attributed = Assert.Single(full.Attribution);
        Assert.True(screen.Fills > 20, $"only {screen.Fills} trades");
        Assert.InRange(screen.NetPnl, attributed.NetPnl - Math.Abs(attributed.NetPnl) * 0.01m, attributed.NetPnl + Math.Abs(attributed.NetPnl) * 0.01m);
        Assert.InRange(screen.Fees, attributed.Fees * 0.99m, attributed.Fees * 1.01m);
        Assert.Equal(spec.InitialCash + screen.NetPnl, screen.Summary.EndEquity);
        Assert.Equal(screen.Fills, screen.Summary.FillCount);
    }
}
