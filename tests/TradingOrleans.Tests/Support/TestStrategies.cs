using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Tests.Support;

/// <summary>Strategy configs the grain tests share.</summary>
public static class TestStrategies
{
    /// <summary>SMA(2) over SMA(3) on BTCUSDT: a steady rise votes long from its third bar.</summary>
    public static readonly StrategyConfig FastSma =
        new("sma-test", "sma-crossover", ["BTCUSDT"], new Dictionary<string, double> { ["fast"] = 2, ["slow"] = 3 });
}
