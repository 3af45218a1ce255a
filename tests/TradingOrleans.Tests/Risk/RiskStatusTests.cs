using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Risk;

/// <summary>GET /risk's status: complete, and its figures computed off the RiskGrain, so orders never wait for them.</summary>
public sealed class RiskStatusTests
{
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CombinedSignal Long(string symbol, decimal price) =>
        new(symbol, 1, SignalDirection.Long, 1.0, [new SignalContribution("s", SignalDirection.Long, 1, 1)], price, Start.AddMinutes(25), DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_decision_is_answered_while_the_status_figures_are_being_computed()
    {
        // Holds every computation of the return model (the heavy part's input) until the test lets it go.
        var computing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Risk:MinimumReturnObservations"] = "2";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddTradingGrains(configuration).AddIncomingGrainCallFilter(async call =>
        {
            if (call.InterfaceMethod?.Name == nameof(IPortfolioGrain.GetReturnModel))
            {
                computing.TrySetResult();
                await release.Task;
            }

            await call.Invoke();
        }));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        // Five 5-minute BTC marks: three return bars, enough for the VaR figures at this setting.
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        foreach (var (price, bar) in new[] { 30_000m, 30_300m, 29_900m, 30_600m, 30_000m }.Select((p, i) => (p, i)))
        {
            // Marks are one-way and a late one is dropped: each is taken before the next is sent.
            await portfolio.MarkToMarket("BTCUSDT", price, Start.AddMinutes(5 * (bar + 1)));
            await Eventually.Returns(() => portfolio.GetRiskBook(), b => b.Marks.GetValueOrDefault("BTCUSDT") == price, what: $"the mark {price}");
        }

        var risk = cluster.Client.GetGrain<IRiskGrain>(0);
        // Nothing executes this approval: it stays open and counts as held, 10,000 / 30,000 BTC under the order limit.
        var held = await risk.Evaluate(Long("BTCUSDT", 30_000m));

        var status = risk.GetStatus();
        await computing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var decision = await risk.Evaluate(Long("ETHUSDT", 2_000m)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(decision.Approved);
        Assert.False(status.IsCompleted);
        release.SetResult();
        var complete = await status;
        Assert.Equal((TradingState.Active, (string?)null, 10_000m), (complete.State, complete.HaltReason, complete.Limits.MaxOrderNotional));
        // The grain's own state is as of the answer (the decision taken meanwhile is in it); the figures as of the ask.
        Assert.Equal([decision, held], complete.RecentDecisions!);
        var measures = complete.Measures!;
        Assert.Equal((100_000m, 3), (measures.Equity, measures.ReturnObservations));
        Assert.Equal(held.Intent!.Quantity * 30_000m, measures.GrossExposure);
        Assert.Equal(["historical", "parametric", "monte-carlo"], measures.ValueAtRisk.Select(v => v.Method));
        Assert.All(measures.ValueAtRisk, v => Assert.True(v.ValueAtRisk > 0 && v.ExpectedShortfall >= v.ValueAtRisk, $"{v}"));
    }
}
