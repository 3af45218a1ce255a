using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>
/// What the API reads from the grains an order passes (its symbol's aggregator, risk, the portfolio) or waits for (the
/// symbol grain's next bar) is answered while an order holds them: a dashboard's poll neither waits for an order's turn
/// nor holds the next one behind it.
/// </summary>
public sealed class ReadsBesideTheOrderPathTests
{
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Reads_are_answered_while_an_order_holds_the_aggregator_risk_and_the_portfolio()
    {
        var gates = new OrderPathGates();
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        // The order path's own timeouts must not end the hold: the reads' wait is what is under test.
        settings["Trading:OrderPath:RiskTimeout"] = "00:00:30";
        settings["Trading:OrderPath:ExecutionTimeout"] = "00:00:30";
        await using var cluster = await TradingTestCluster.StartAsync(settings, services: s => s.AddSingleton<IIncomingGrainCallFilter>(gates));
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(TestStrategies.FastSma);
        var aggregator = cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT");
        var risk = cluster.Client.GetGrain<IRiskGrain>(0);
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);

        // The third bar's vote goes long; its order path runs on after the bar's call returns.
        var symbol = cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT");
        foreach (var bar in Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200))
        {
            await symbol.OnCandle(bar with { IngestedAt = DateTimeOffset.UtcNow });
        }

        // Held in risk's turn: the aggregator awaits it, and the next bar's turn awaits the bar's order path.
        await gates.Evaluating.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var nextBar = symbol.OnCandle(Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200, 30_300)[3] with { IngestedAt = DateTimeOffset.UtcNow });
        // The fourth bar is taken (its strategies have run), and its turn waits for the third bar's order path.
        await Eventually.Returns(() => symbol.GetRecentCandles(10).WaitAsync(ReadWait), c => c.Count == 4, ReadWait, "the fourth bar taken");
        Assert.Single(await symbol.GetStrategyHealth().WaitAsync(ReadWait));
        Assert.Equal(SignalDirection.Long, Assert.Single((await aggregator.GetSignals().WaitAsync(ReadWait)).Latest).Direction);
        Assert.Equal(TradingState.Active, (await risk.GetStatus().WaitAsync(ReadWait)).State);
        Assert.True((await risk.GetLimits().WaitAsync(ReadWait)).PositionSizeFraction > 0);
        gates.Evaluate.SetResult();

        // Held in the portfolio's turn: execution and the aggregator await it.
        await gates.ApplyingFills.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0m, (await portfolio.GetExposure("BTCUSDT").WaitAsync(ReadWait)).PositionQuantity);
        Assert.Empty((await portfolio.GetSnapshot().WaitAsync(ReadWait)).Positions);
        await portfolio.GetAllocation().WaitAsync(ReadWait);
        await portfolio.GetEquityCurve().WaitAsync(ReadWait);
        await portfolio.GetAttribution().WaitAsync(ReadWait);
        await aggregator.GetSignals().WaitAsync(ReadWait);
        gates.ApplyFills.SetResult();
        await nextBar;

        await Eventually.Returns(() => portfolio.GetExposure("BTCUSDT"), e => e.PositionQuantity > 0, what: "the order's fill");
    }

    /// <summary>Holds the first risk decision and the first fill batch in their grains' turns until the test lets them go.</summary>
    private sealed class OrderPathGates : IIncomingGrainCallFilter
    {
        public TaskCompletionSource Evaluating { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Evaluate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ApplyingFills { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ApplyFills { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.MethodName == nameof(IRiskGrain.Evaluate) && Evaluating.TrySetResult())
            {
                await Evaluate.Task;
            }
            else if (context.MethodName == nameof(IPortfolioGrain.ApplyFills) && ApplyingFills.TrySetResult())
            {
                await ApplyFills.Task;
            }

            await context.Invoke();
        }
    }
}
