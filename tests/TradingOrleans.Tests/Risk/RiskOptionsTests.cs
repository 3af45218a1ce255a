using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

public sealed class RiskOptionsTests
{
    private static RiskOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{RiskOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<RiskOptions>().BindConfiguration(RiskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<RiskOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_the_documented_limits()
    {
        var limits = Bind().ToLimits();

        Assert.Equal(
            new RiskLimits(25_000m, 10_000m, 0.2m, 10m, AllowShortSelling: true, DailyLossFraction: 0.05m, MaxDrawdownFraction: 0.25m,
                MaxGrossExposure: 100_000m, MaxNetExposure: 75_000m, MaxCorrelatedExposure: 60_000m, MaxValueAtRiskFraction: 0.08m, MaxOrdersPerMinute: 600,
                MaxOpenOrders: 50),
            limits);
    }

    [Fact]
    public void Configured_values_reach_the_limits()
    {
        var limits = Bind(("MaxPositionNotional", "5000"), ("AllowShortSelling", "false")).ToLimits();

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
    public void Limits_round_trip_through_the_options()
    {
        var limits = new RiskLimits(1_000m, 500m, 0.5m, 5m, AllowShortSelling: false, DailyLossFraction: 0.1m, MaxDrawdownFraction: 0.3m);

        Assert.Equal(limits, RiskOptions.From(limits).ToLimits());
    }
}
