using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Grains.Strategies.Library;

namespace TradingOrleans.Tests.Strategies;

public sealed class StrategyCatalogTests
{
    private static StrategyConfig Config(string type, string[] symbols, Dictionary<string, double>? parameters = null, string id = "s1", double weight = 1) =>
        new(id, type, symbols, parameters ?? [], weight);

    [Fact]
    public void Valid_configs_have_no_errors()
    {
        Assert.Empty(StrategyCatalog.Validate(Config("sma-crossover", ["BTCUSDT", "ETHUSDT"], new() { ["fast"] = 5, ["slow"] = 20 })));
        Assert.Empty(StrategyCatalog.Validate(Config("pairs-ols", ["ETHUSDT", "BTCUSDT"])));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var errors = StrategyCatalog.Validate(Config("sma-crossover", ["btc", "ETHUSDT", "ETHUSDT"],
            new() { ["fast"] = 2.5, ["slow"] = 0, ["speed"] = 1 }, id: "", weight: double.NaN));

        Assert.Equal(
            ["id", "parameters.fast", "parameters.slow", "parameters.speed", "symbols", "symbols[0]", "weight"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("whole number", errors["parameters.fast"][0]);
        Assert.Contains("between 2 and 5000", errors["parameters.slow"][0]);
        Assert.Equal("A symbol is listed twice.", Assert.Single(errors["symbols"]));
    }

    [Fact]
    public void Unknown_type_lists_the_known_types()
    {
        var errors = StrategyCatalog.Validate(Config("martingale", ["BTCUSDT"]));

        var message = Assert.Single(errors["type"]);
        Assert.StartsWith("Unknown type 'martingale'. Known types: adx-trend, aroon, awesome-oscillator, ", message);
        Assert.Equal(StrategyCatalog.Definitions.Count, message.Split(": ")[1].Split(", ").Length);
    }

    [Fact]
    public void Cross_parameter_rules_are_checked()
    {
        Assert.Contains("parameters.fast", StrategyCatalog.Validate(Config("sma-crossover", ["BTCUSDT"], new() { ["fast"] = 30, ["slow"] = 30 })).Keys);
        Assert.Contains("parameters.exit", StrategyCatalog.Validate(Config("rsi-mean-reversion", ["BTCUSDT"], new() { ["exit"] = 75 })).Keys);
        Assert.Contains("parameters.exitZ", StrategyCatalog.Validate(Config("pairs-ols", ["ETHUSDT", "BTCUSDT"], new() { ["entryZ"] = 1, ["exitZ"] = 1.5 })).Keys);
    }

    [Fact]
    public void Pair_types_need_exactly_two_different_symbols()
    {
        Assert.Contains("symbols", StrategyCatalog.Validate(Config("pairs-ols", ["ETHUSDT"])).Keys);
        Assert.Contains("symbols", StrategyCatalog.Validate(Config("pairs-ols", ["ETHUSDT", "ETHUSDT"])).Keys);
        Assert.Contains("symbols", StrategyCatalog.Validate(Config("rsi-mean-reversion", [])).Keys);
    }

    [Fact]
    public void Missing_parameters_take_the_type_defaults()
    {
        var config = Config("rsi-mean-reversion", ["BTCUSDT"], new() { ["period"] = 7 });

        Assert.Equal(7, StrategyCatalog.Parameter(config, "period"));
        Assert.Equal(30, StrategyCatalog.Parameter(config, "oversold"));
        Assert.IsType<RsiMeanReversionStrategy>(StrategyCatalog.CreateSingleSymbol(config, "BTCUSDT"));
        Assert.Throws<ArgumentException>(() => StrategyCatalog.CreateSingleSymbol(Config("pairs-ols", ["ETHUSDT", "BTCUSDT"]), "ETHUSDT"));
    }
}
