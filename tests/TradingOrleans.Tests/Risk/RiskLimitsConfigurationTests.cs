using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>The limits bound straight from <c>Trading:Risk</c>: defaults, configured values, range checks.</summary>
public sealed class RiskLimitsConfigurationTests
{
    private static RiskLimits Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{RiskOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<RiskLimits>().BindConfiguration(RiskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<RiskLimits>>().Value;
    }

    [Fact]
    public void Defaults_are_the_documented_limits()
    {
        var limits = Bind();

        Assert.Equal(
            new RiskLimits
            {
                MaxPositionNotional = 25_000m, MaxOrderNotional = 10_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 10m, AllowShortSelling = true,
                DailyLossFraction = 0.05m, MaxDrawdownFraction = 0.25m, MaxGrossExposure = 100_000m, MaxNetExposure = 75_000m,
                MaxCorrelatedExposure = 60_000m, MaxValueAtRiskFraction = 0.08m, MaxOrdersPerMinute = 600, KellyFraction = 0m, MaxOpenOrders = 50,
            },
            limits);
    }

    [Fact]
    public void Configured_values_reach_the_limits()
    {
        var limits = Bind(("MaxPositionNotional", "5000"), ("AllowShortSelling", "false"));

        Assert.Equal((5_000m, false), (limits.MaxPositionNotional, limits.AllowShortSelling));
    }

    [Theory]
    [InlineData("PositionSizeFraction", "0")]
    [InlineData("PositionSizeFraction", "1.5")]
    [InlineData("MaxOrderNotional", "-1")]
    [InlineData("MaxPositionNotional", "-0.01")]
    [InlineData("MinOrderNotional", "-5")]
    [InlineData("DailyLossFraction", "1.01")]
    [InlineData("MaxDrawdownFraction", "-0.1")]
    public void Out_of_range_values_are_refused(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Limits_round_trip_through_the_configuration()
    {
        // Every limit, written as its Trading:Risk setting, binds back: none is left out of the binding (an init-only
        // property the binder could not set would keep its default here).
        var limits = TestLimits.Off with
        {
            MaxPositionNotional = 1_000m, MaxOrderNotional = 500m, PositionSizeFraction = 0.5m, MinOrderNotional = 5m, AllowShortSelling = false,
            DailyLossFraction = 0.1m, MaxDrawdownFraction = 0.3m,
        };
        var settings = typeof(RiskLimits).GetProperties()
            .Select(p => (p.Name, Convert.ToString(p.GetValue(limits), CultureInfo.InvariantCulture)!))
            .ToArray();

        Assert.Equal(limits, Bind(settings));
    }
}
