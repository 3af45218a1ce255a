using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>The strategy set a fresh installation trades, so the embedded default trades with no manual step.</summary>
public static class DefaultStrategies
{
    public static IReadOnlyList<StrategyConfig> For(IReadOnlyList<string> symbols)
    {
        var configs = new List<StrategyConfig>
        {
            // One hour against four hours of 5-minute bars.
            new("sma-1h-4h", "sma-crossover", symbols, new Dictionary<string, double> { ["fast"] = 12, ["slow"] = 48 }),
            new("rsi-14", "rsi-mean-reversion", symbols, new Dictionary<string, double> { ["period"] = 14, ["oversold"] = 30, ["overbought"] = 70, ["exit"] = 50 }),
        };
        if (symbols.Contains("ETHUSDT") && symbols.Contains("BTCUSDT"))
        {
            // About 1.4 days of 5-minute bars for the hedge ratio and the spread's mean and deviation.
            configs.Add(new("pairs-eth-btc", "pairs-ols", ["ETHUSDT", "BTCUSDT"],
                new Dictionary<string, double> { ["window"] = 400, ["entryZ"] = 2.0, ["exitZ"] = 0.5 }));

            // Trades the same pair only while a Johansen test on the last 500 bars (~1.7 days) finds cointegration
            // at 95 %, re-tested every 50 bars (~4 hours).
            configs.Add(new("johansen-eth-btc", "pairs-johansen", ["ETHUSDT", "BTCUSDT"],
                new Dictionary<string, double> { ["window"] = 500, ["retestEvery"] = 50, ["confidence"] = 0.95, ["entryZ"] = 2.0, ["exitZ"] = 0.5, ["stopZ"] = 4.0 }));
        }

        return configs;
    }
}
