using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>The RiskGrain's saved state keeps loading across changes to the types it holds.</summary>
public sealed class RiskGrainStateTests
{
    /// <summary>
    /// A state written by the RiskGrain while <see cref="RiskLimits"/> was a positional record (before #18): Reducing,
    /// "daily loss stop", stops 120,000 / 2021-01-04 / 110,000, and limits 20,000 / 5,000 / 0.1 / 15 / no shorts /
    /// 0.03 / 0.2 / 90,000 / 70,000 / 50,000 / 0.06 / 120 per minute / Kelly 0.5 / 7 open.
    /// </summary>
    private const string SavedBefore18 =
        "20080305411F6461696C79206C6F73732073746F702140210000000000000000C0D40100000000006101420B0041210000000000000000B0AD01000000" +
        "0000E021E840210000000000000000204E000000000000412100000000000000008813000000000000412100000100000000000100000000000000412100" +
        "000000000000000F00000000000000020141210000020000000000030000000000000041210000010000000000020000000000000041210000000000000000" +
        "905F0100000000004121000000000000000070110100000000004121000000000000000050C300000000000041210000020000000000060000000000000001" +
        "C203412100000100000000000500000000000000011DE0E0";

    [Fact]
    public void Limits_saved_before_they_were_declared_once_still_load()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();

        var state = services.GetRequiredService<Serializer>().Deserialize<RiskGrainState>(Convert.FromHexString(SavedBefore18))!;

        Assert.Equal((TradingState.Reducing, "daily loss stop"), (state.State, state.HaltReason));
        Assert.Equal((120_000m, new DateOnly(2021, 1, 4), 110_000m), (state.Stops.PeakEquity, state.Stops.Day, state.Stops.DayStartEquity));
        Assert.Equal(
            new RiskLimits
            {
                MaxPositionNotional = 20_000m, MaxOrderNotional = 5_000m, PositionSizeFraction = 0.1m, MinOrderNotional = 15m, AllowShortSelling = false,
                DailyLossFraction = 0.03m, MaxDrawdownFraction = 0.2m, MaxGrossExposure = 90_000m, MaxNetExposure = 70_000m,
                MaxCorrelatedExposure = 50_000m, MaxValueAtRiskFraction = 0.06m, MaxOrdersPerMinute = 120, KellyFraction = 0.5m, MaxOpenOrders = 7,
            },
            state.Limits);
    }
}
