using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.MarketData;

/// <summary>Gen 0 is collected just before each bar closes by the wall clock, and only when it is asked for.</summary>
public sealed class BarCloseCollectorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // One-second bars: 100 ms before the next second.
    [InlineData(1_000, 300, 900)]
    [InlineData(1_000, 0, 900)]
    // At or past the collection point: the next bar's.
    [InlineData(1_000, 900, 1_900)]
    [InlineData(1_000, 950, 1_900)]
    // Half-second bars: a tenth of the bar, 50 ms, before the boundary.
    [InlineData(500, 100, 450)]
    [InlineData(500, 460, 950)]
    // Five-minute bars: still 100 ms before the boundary.
    [InlineData(300_000, 60_000, 299_900)]
    public void The_next_collection_is_a_tenth_of_a_bar_at_most_100_ms_before_the_next_boundary(int barMs, int nowMs, int expectedMs)
    {
        var next = BarCloseCollector.NextCollection(Noon.AddMilliseconds(nowMs), TimeSpan.FromMilliseconds(barMs));

        Assert.Equal(Noon.AddMilliseconds(expectedMs), next);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task A_silo_runs_the_collector_unless_it_is_turned_off(string? setting, bool runs)
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        if (setting is not null)
        {
            settings["Trading:MarketData:CollectBeforeBarClose"] = setting;
        }

        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var silo = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);

        Assert.Equal(runs, silo.GetServices<IHostedService>().OfType<BarCloseCollector>().Any());
    }
}
