using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Docs;

namespace TradingOrleans.Tests.Strategies;

public sealed class DefaultStrategiesTests
{
    [Fact]
    public void The_seeded_defaults_are_the_set_the_documented_backtest_chose()
    {
        // docs/examples/defaults.json is the config the docs' backtest report ran (docs/strategies.md#how-the-defaults-were-chosen).
        var documented = BacktestRequest.Parse(File.ReadAllText(Path.Combine(RepoDocs.Root, "docs", "examples", "defaults.json"))).Strategies!;
        var seeded = DefaultStrategies.For(["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"]);

        Assert.Equal(documented.Select(Describe), seeded.Select(Describe));
    }

    private static string Describe(StrategyConfig config) =>
        $"{config.Id} {config.Type} [{string.Join(",", config.Symbols)}] weight {config.Weight} " +
        string.Join(" ", config.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
