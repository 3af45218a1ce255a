using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Hosting;

/// <summary>
/// A list setting replaces its default instead of being appended to it (the configuration binder appends to a list
/// that starts filled: four default symbols plus four configured ones seeded every strategy twice per symbol).
/// </summary>
public sealed class ConfiguredListsTests
{
    private static T Bind<T>(string section, params (string Key, string Value)[] settings) where T : new()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{section}:{s.Key}", s.Value)))
            .Build();
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    [Fact]
    public void Configured_default_symbols_replace_the_built_in_ones()
    {
        var configured = Bind<StrategySeedOptions>(StrategySeedOptions.SectionName, ("DefaultSymbols:0", "BTCUSDT"), ("DefaultSymbols:1", "SOLUSDT"));

        Assert.Equal(["BTCUSDT", "SOLUSDT"], configured.SeededSymbols);
        Assert.Equal(["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"], Bind<StrategySeedOptions>(StrategySeedOptions.SectionName).SeededSymbols);
    }

    [Fact]
    public void A_kline_feed_can_be_configured_without_the_default_trade_stream()
    {
        var options = Bind<BinanceMarketDataOptions>(BinanceMarketDataOptions.SectionName, ("Streams:0", "kline_1m"), ("Symbols:0", "ETHUSDT"));
        var problems = new List<ValidationResult>();

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true), string.Join("; ", problems));
        Assert.Equal("wss://stream.binance.com:9443/stream?streams=ethusdt@kline_1m", options.StreamUri().ToString());
    }

    [Fact]
    public void Configured_binance_symbols_replace_the_default_ones()
    {
        Assert.Equal(["BTCUSDT"], Bind<BinanceBrokerOptions>(BinanceBrokerOptions.SectionName, ("Symbols:0", "BTCUSDT")).TradedSymbols);
    }
}
