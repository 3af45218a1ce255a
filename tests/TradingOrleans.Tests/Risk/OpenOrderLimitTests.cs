using TradingOrleans.Grains.Interfaces;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Risk;

/// <summary>The open-order limit in the risk grain: approvals count until execution reports them final.</summary>
public sealed class OpenOrderLimitTests
{
    private static CombinedSignal Long(string symbol, long sequence) =>
        new(symbol, sequence, SignalDirection.Long, 1.0, [new SignalContribution("s", SignalDirection.Long, 1, 1)], 100m,
            new DateTimeOffset(2021, 1, 1, 0, 5, 0, TimeSpan.Zero), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Orders_past_the_open_limit_wait_until_one_closes()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings["Trading:Strategies:SeedDefaults"] = "false";
        settings["Trading:Risk:MaxOpenOrders"] = "1";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var risk = cluster.Client.GetGrain<IRiskGrain>(0);

        // Nothing executes these: the first stays open.
        var first = await risk.Evaluate(Long("BTCUSDT", 1));
        var second = await risk.Evaluate(Long("ETHUSDT", 1));
        Assert.True(first.Approved);
        Assert.Equal(RiskRejectionReason.OpenOrderLimit, second.Rejection);
        Assert.Contains("1 orders are still open, the limit is 1", second.Explanation);

        await risk.OrderClosed(first.Intent!.IntentId);
        var third = await Eventually.Returns(() => risk.Evaluate(Long("ETHUSDT", 2)), d => d.Approved, what: "an approval once the first order closed");
        Assert.Equal("ETHUSDT", third.Symbol);
    }
}
