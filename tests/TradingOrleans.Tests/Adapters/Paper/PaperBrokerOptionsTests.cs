using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Paper;

namespace TradingOrleans.Tests.Adapters.Paper;

public sealed class PaperBrokerOptionsTests
{
    private static PaperBrokerOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{PaperBrokerOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<PaperBrokerOptions>().BindConfiguration(PaperBrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<PaperBrokerOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_the_binance_taker_fee_and_two_bps_of_slippage()
    {
        var options = Bind();

        Assert.Equal((10m, 2m), (options.FeeBps, options.SlippageBps));
    }

    [Fact]
    public void Fractional_basis_points_are_kept()
    {
        var options = Bind(("FeeBps", "7.5"), ("SlippageBps", "0.25"));

        Assert.Equal((7.5m, 0.25m), (options.FeeBps, options.SlippageBps));
    }

    [Theory]
    [InlineData("FeeBps", "-1")]
    [InlineData("FeeBps", "1001")]
    [InlineData("SlippageBps", "-2")]
    // Just outside the range: an integer range would round these onto its bounds and let them through.
    [InlineData("FeeBps", "-0.4")]
    [InlineData("SlippageBps", "1000.4")]
    // Beyond what an integer range can even convert.
    [InlineData("FeeBps", "100000000000")]
    public void Out_of_range_costs_are_refused(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(key, error.Message);
    }
}
