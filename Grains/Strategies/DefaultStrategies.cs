using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// The strategy set a fresh installation trades, so the embedded default trades with no manual step. Chosen by
/// backtest on the shipped data (docs/strategies.md#how-the-defaults-were-chosen): the parameters were swept with
/// walk-forward validation on January to March 2021 and the set checked on April to mid-May, which no choice saw.
/// docs/examples/defaults.json holds the same set for the four built-in symbols, to rerun that backtest.
/// </summary>
public static class DefaultStrategies
{
    public static IReadOnlyList<StrategyConfig> For(IReadOnlyList<string> symbols)
    {
        var configs = new List<StrategyConfig>
        {
            // Four hours against a day of 5-minute bars: the sweep's best, and best in its first two walk-forward folds.
            new("sma-4h-1d", "sma-crossover", symbols, new Dictionary<string, double> { ["fast"] = 48, ["slow"] = 288 }),
            // Long only on deep dips, short only on strong spikes: the sweep's best of 64 thresholds.
            new("rsi-14", "rsi-mean-reversion", symbols, new Dictionary<string, double> { ["period"] = 14, ["oversold"] = 20, ["overbought"] = 85, ["exit"] = 50 }),
        };
        if (symbols.Contains("ETHUSDT") && symbols.Contains("BTCUSDT"))
        {
            // Trades the pair only while a Johansen test on the last 500 bars (~1.7 days) finds cointegration at 95 %,
            // re-tested every 50 bars (~4 hours).
            configs.Add(new("johansen-eth-btc", "pairs-johansen", ["ETHUSDT", "BTCUSDT"],
                new Dictionary<string, double> { ["window"] = 500, ["retestEvery"] = 50, ["confidence"] = 0.95, ["entryZ"] = 2.0, ["exitZ"] = 0.5, ["stopZ"] = 4.0 }));
        }

        return configs;
    }
}
