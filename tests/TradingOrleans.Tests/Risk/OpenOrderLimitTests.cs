using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Risk;

/// <summary>Open orders in the risk grain: approvals count (in number and in exposure) until execution reports them final.</summary>
public sealed class OpenOrderLimitTests
{
    private static CombinedSignal Long(string symbol, long sequence) =>
        new(symbol, sequence, SignalDirection.Long, 1.0, [new SignalContribution("s", SignalDirection.Long, 1, 1)], 100m,
            new DateTimeOffset(2021, 1, 1, 0, 5, 0, TimeSpan.Zero), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Orders_past_the_open_limit_wait_until_one_closes()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
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

    [Fact]
    public async Task An_open_order_counts_as_held_in_the_portfolio_limits_of_the_next_approval()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Risk:MaxOrderNotional"] = "1000";
        settings["Trading:Risk:MaxGrossExposure"] = "1500";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        var risk = cluster.Client.GetGrain<IRiskGrain>(0);

        // Nothing executes these, as when the first order's fill has not reached the portfolio yet: the portfolio holds
        // nothing, but the open BTC order's 1,000 leaves room for 500 of ETH under the 1,500 gross limit. The portfolio
        // has no mark of either symbol yet (the marks are one-way and may still be on their way, as they once were when
        // this test marked them first): each signal is priced at its own close and the open BTC order at its reference price.
        var first = await risk.Evaluate(Long("BTCUSDT", 1));
        var second = await risk.Evaluate(Long("ETHUSDT", 1));

        Assert.Equal(10m, first.Intent!.Quantity);
        Assert.Equal(5m, second.Intent!.Quantity);
        Assert.Contains("gross exposure", second.Explanation);
        Assert.Equal(0m, (await portfolio.GetExposure("BTCUSDT")).PositionQuantity);
        // The status's figures are computed at most once a second (RiskMeasuresGrain): wait for both open orders to show.
        await Eventually.Returns(() => risk.GetStatus(), s => s.Measures!.GrossExposure == 1500m, TimeSpan.FromSeconds(5), "both open orders in the gross exposure");

        // Once the orders are final (say, rejected by the venue), their exposure no longer counts. OrderClosed is
        // one-way, so it may land after the next call: wait until the risk status shows it.
        await risk.OrderClosed(first.Intent.IntentId);
        await risk.OrderClosed(second.Intent.IntentId);
        await Eventually.Returns(() => risk.GetStatus(), s => s.Measures!.GrossExposure == 0m, what: "no exposure once both orders closed");
        var third = await risk.Evaluate(Long("ETHUSDT", 2));
        Assert.Equal(10m, third.Intent!.Quantity);
    }
}
