using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>Instrument rules: lot rounding, the configured source (defaults and per-symbol overrides) and Binance's filters.</summary>
public sealed class InstrumentRulesTests
{
    private static InstrumentOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{InstrumentOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IValidateOptions<InstrumentOptions>>(new SectionValidator<InstrumentOptions>(InstrumentOptions.SectionName))
            .AddOptions<InstrumentOptions>().BindConfiguration(InstrumentOptions.SectionName).ValidateOnStart()
            .Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<InstrumentOptions>>().Value;
    }

    [Theory]
    [InlineData(9.38842, 0.0001, 9.3884)]
    [InlineData(0.0009, 0.001, 0)]
    [InlineData(1.5, 0.5, 1.5)]
    [InlineData(-0.3, 0.1, 0)]
    public void A_quantity_rounds_down_to_whole_lots(double quantity, double lot, double expected)
    {
        Assert.Equal((decimal)expected, new InstrumentRules("BTCUSDT", (decimal)lot).RoundDown((decimal)quantity));
    }

    [Fact]
    public void Configured_defaults_apply_to_every_symbol_and_overrides_to_theirs()
    {
        var options = Bind(("LotStep", "0.001"), ("MinNotional", "5"), ("Symbols:BNBUSDT:LotStep", "0.01"), ("Symbols:BNBUSDT:PriceTick", "0.1"));

        Assert.Equal(new InstrumentRules("BTCUSDT", 0.001m, 0, 5m, 0), options.For("BTCUSDT"));
        Assert.Equal(new InstrumentRules("BNBUSDT", 0.01m, 0, 5m, 0.1m), options.For("BNBUSDT"));
    }

    [Fact]
    public void The_default_lot_is_what_risk_used_before_it_moved_here()
    {
        Assert.Equal(new InstrumentRules("BTCUSDT", 0.00001m), Bind().For("BTCUSDT"));
    }

    [Theory]
    [InlineData("LotStep", "0", "Trading:Instruments:LotStep")]
    [InlineData("Symbols:ETHUSDT:LotStep", "0", "Trading:Instruments:Symbols:ETHUSDT:LotStep")]
    [InlineData("Symbols:ETHUSDT:MinNotional", "-1", "Trading:Instruments:Symbols:ETHUSDT:MinNotional")]
    public void A_bad_instrument_setting_is_refused_naming_it(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Binance_filters_become_the_instrument_rules()
    {
        // The documented filter examples: LOT_SIZE step 0.001 and minQty 0.001, NOTIONAL min 10 applied to market orders, PRICE_FILTER tick 0.000001.
        var info = JsonNode.Parse(BinanceFixtures.Raw("exchangeInfo"))!;
        var entry = info["symbols"]![0]!;
        entry["symbol"] = "BTCUSDT";
        entry["filters"] = new JsonArray(
            JsonNode.Parse(BinanceFixtures.Raw("filter_PRICE_FILTER")), JsonNode.Parse(BinanceFixtures.Raw("filter_LOT_SIZE")),
            JsonNode.Parse(BinanceFixtures.Raw("filter_NOTIONAL").Replace("\"applyMinToMarket\": false", "\"applyMinToMarket\": true")));

        var rules = BinanceSymbolRules.From(JsonDocument.Parse(info.ToJsonString()).RootElement, "BTCUSDT")!;

        Assert.Equal(new InstrumentRules("BTCUSDT", 0.001m, 0.001m, 10m, 0.000001m), rules.Instrument);
    }
}
