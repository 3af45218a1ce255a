using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>
/// Issue #21, faults on the order path: risk delayed by seconds, a portfolio that stops, a venue that times out. Each
/// proves that bars keep flowing while the fault lasts, that no order is duplicated, and that the position converges to
/// the voted target once the fault clears. Bounds are behaviour, not stopwatch: the bars are fed and voted while the
/// fault is still on and no order got through.
/// </summary>
public sealed class OrderPathFaultTests
{
    private static readonly StrategyConfig FastSma = TestStrategies.FastSma;

    // A steady rise: SMA(2) crosses above SMA(3) at the third bar and stays above, so the vote is long from there on.
    // The long target (20% of equity) takes two orders at the default order limit: the second follows on a later bar.
    private static readonly IReadOnlyList<Candle> Bars60 = Bars.FromCloses("BTCUSDT", [.. Enumerable.Range(0, 60).Select(i => 30_000m + 100 * i)]);
    private static readonly IReadOnlyList<Candle> Rise = [.. Bars60.Take(7)];

    [Fact]
    public async Task A_risk_grain_delayed_by_seconds_holds_orders_without_holding_the_bars_and_the_position_converges_after()
    {
        var faults = new GrainCallFault((nameof(IRiskGrain), nameof(IRiskGrain.Evaluate))) { Delay = TimeSpan.FromSeconds(3) };
        await using var cluster = await Start(faults);

        faults.On = true;
        await Feed(cluster, Rise);

        await AssertBarsFlowedWithNoOrder(cluster, Rise[^1]);
        var status = await Eventually.Returns(() => Risk(cluster).GetStatus(), s => s.OrderPath?.Mode == OrderPathMode.Hold, what: "the order path held");
        Assert.Contains("risk", status.OrderPath!.Reason);

        faults.On = false;
        await AssertConvergesLongWithoutDuplicates(cluster);
        await Eventually.Returns(() => Risk(cluster).GetStatus(), s => s.OrderPath?.Mode == OrderPathMode.Normal, what: "the order path healthy again");
    }

    [Fact]
    public async Task A_manual_order_is_refused_with_the_reason_while_risk_does_not_answer_and_placed_once_it_does()
    {
        var faults = new GrainCallFault((nameof(IRiskGrain), nameof(IRiskGrain.Review))) { Delay = TimeSpan.FromSeconds(3) };
        await using var cluster = await Start(faults);
        await Feed(cluster, Rise.Take(1)); // a price for the manual order
        var entry = cluster.Client.GetGrain<IOrderEntryGrain>(0);
        var order = new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, new ExecutionInstruction("immediate", TimeSpan.Zero), "risk-slow");

        faults.On = true;
        var refused = await entry.PlaceManualOrder(order);

        Assert.Equal((ManualOrderOutcome.Refused, RiskRejectionReason.OrderPathDegraded), (refused.Outcome, refused.Decision!.Rejection));
        Assert.Equal("risk did not answer within 1000 ms: the order was not reviewed, nor sent", refused.Decision.Explanation);
        faults.On = false;
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the late review arrives, and is executed by nobody
        Assert.Empty(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
        var placed = await Eventually.Returns(() => entry.PlaceManualOrder(order), r => r.Outcome == ManualOrderOutcome.Placed,
            what: "the order placed once risk answers (its circuit closed again)");
        Assert.Equal(OrderStatus.Filled, placed.Order!.Status);
        Assert.Single(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
    }

    /// <summary>
    /// Risk decides on the book the portfolio pushes; a portfolio that stops pushing it and throws when asked for it leaves
    /// risk with a book behind the signals' bars, and no way to bring it up to date.
    /// </summary>
    [Fact]
    public async Task A_portfolio_that_stops_pushing_its_book_and_throws_holds_orders_with_the_reason_and_the_position_converges_after()
    {
        var faults = new GrainCallFault((nameof(IPortfolioGrain), nameof(IPortfolioGrain.GetRiskBook)), (nameof(IRiskGrain), nameof(IRiskGrain.OnRiskBook)))
        {
            Failure = new InvalidOperationException("portfolio store unavailable"),
        };
        await using var cluster = await Start(faults);

        faults.On = true;
        await Feed(cluster, Rise);

        await AssertBarsFlowedWithNoOrder(cluster, Rise[^1]);
        var status = await Eventually.Returns(() => Risk(cluster).GetStatus(), s => s.OrderPath?.Mode == OrderPathMode.Hold, what: "the order path held");
        Assert.Contains("portfolio failed: InvalidOperationException: portfolio store unavailable", status.OrderPath!.Reason);
        Assert.Contains(status.RecentRejections, d => d.Rejection == RiskRejectionReason.OrderPathDegraded);
        // A manual order is refused at once with the reason, not left waiting on the portfolio.
        var manual = await cluster.Client.GetGrain<IOrderEntryGrain>(0).PlaceManualOrder(
            new ManualOrder("BTCUSDT", OrderSide.Buy, 0.01m, new ExecutionInstruction("immediate", TimeSpan.Zero), "during-fault"));
        Assert.Equal((ManualOrderOutcome.Refused, RiskRejectionReason.OrderPathDegraded), (manual.Outcome, manual.Decision!.Rejection));
        Assert.Contains("portfolio", manual.Decision.Explanation); // its failure, or its open circuit

        faults.On = false;
        await AssertConvergesLongWithoutDuplicates(cluster);
    }

    [Fact]
    public async Task A_venue_that_times_out_keeps_its_order_awaiting_holds_the_next_and_both_settle_once_after()
    {
        var venue = new TimingOutVenue();
        await using var cluster = await Start(new GrainCallFault(), venue);
        var registry = cluster.Client.GetGrain<IStrategyRegistryGrain>(0);

        venue.Outage = true;
        await Feed(cluster, Rise.Take(3)); // the long order goes out and is not answered
        var execution = cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        var awaiting = Assert.Single(await execution.GetOrders(10));
        Assert.True(awaiting.Children[0].AwaitingVenue);

        // The vote goes flat (strategy withdrawn) while the venue is out: that order is held, and the bars go on.
        await registry.Save(FastSma with { Enabled = false });
        await registry.Save(FastSma);
        await Feed(cluster, Rise.Skip(3));
        var signals = await cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals();
        Assert.Equal(Rise[^1].CloseTime, Assert.Single(signals.Latest).MarketTime);
        Assert.Single(await execution.GetOrders(10));

        venue.Outage = false;
        await AssertConvergesLongWithoutDuplicates(cluster);
        Assert.All(venue.Placements.GroupBy(id => id), sent => Assert.Single(sent));
    }

    private static async Task AssertBarsFlowedWithNoOrder(TradingTestCluster cluster, Candle last)
    {
        var signals = await cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals();
        Assert.Equal(last.CloseTime, Assert.Single(signals.Latest).MarketTime);
        Assert.Equal(SignalDirection.Long, signals.Combined!.Direction);
        Assert.Empty(await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
    }

    /// <summary>
    /// As the bars go on, the voted long target (20% of equity) is reached and held: every order once under its own
    /// intent id, the position what the orders filled.
    /// </summary>
    private static async Task AssertConvergesLongWithoutDuplicates(TradingTestCluster cluster)
    {
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);
        var next = Rise.Count;
        var exposure = await portfolio.GetExposure("BTCUSDT");
        for (; next < Bars60.Count && exposure.PositionQuantity * Bars60[next - 1].Close < 0.19m * exposure.Equity; next++)
        {
            await Feed(cluster, [Bars60[next]]);
            await Task.Delay(TimeSpan.FromMilliseconds(500)); // a retry owed may still be on its way
            exposure = await portfolio.GetExposure("BTCUSDT");
        }

        var price = Bars60[next - 1].Close;
        var orders = await Eventually.Returns(() => cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(50),
            o => o.All(order => order.Status is OrderStatus.Filled or OrderStatus.Rejected or OrderStatus.Cancelled), TimeSpan.FromSeconds(30), "every order settled");
        Assert.Equal(orders.Count, orders.Select(o => o.OrderId).Distinct().Count());
        Assert.InRange(exposure.PositionQuantity * price, 0.19m * exposure.Equity, 0.21m * exposure.Equity);
        Assert.Equal(exposure.PositionQuantity, orders.Sum(o => (o.Side == OrderSide.Buy ? 1 : -1) * o.FilledQuantity));
    }

    private static IRiskGrain Risk(TradingTestCluster cluster) => cluster.Client.GetGrain<IRiskGrain>(0);

    private static Task Feed(TradingTestCluster cluster, IEnumerable<Candle> bars) => BarFeed.Feed(cluster.Client, bars);

    private static async Task<TradingTestCluster> Start(GrainCallFault faults, TimingOutVenue? venue = null)
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:OrderPath:RiskTimeout"] = "00:00:01";
        settings["Trading:OrderPath:PortfolioTimeout"] = "00:00:00.300";
        settings["Trading:OrderPath:BreakerBreakDuration"] = "00:00:00.500";
        settings["Trading:OrderPath:RetryBaseDelay"] = "00:00:00.050";
        settings["Trading:OrderPath:RetryMaxDelay"] = "00:00:00.300";
        var cluster = await TradingTestCluster.StartAsync(settings, services: services =>
        {
            services.AddSingleton<IIncomingGrainCallFilter>(faults);
            if (venue is not null)
            {
                services.AddSingleton<IReadOnlyList<IBroker>>(sp => [venue.Around(sp.GetRequiredService<TimeProvider>())]);
            }
        });
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(FastSma);
        return cluster;
    }

    /// <summary>While <see cref="On"/>, calls to some grain methods are delayed, or fail, inside the called grain's turn.</summary>
    private sealed class GrainCallFault(params (string Interface, string Method)[] calls) : IIncomingGrainCallFilter
    {
        public volatile bool On;

        public TimeSpan Delay { get; init; }

        public Exception? Failure { get; init; }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (On && calls.Any(c => context.InterfaceName.EndsWith(c.Interface, StringComparison.Ordinal) && context.MethodName == c.Method))
            {
                await Task.Delay(Delay);
                if (Failure is not null)
                {
                    throw Failure;
                }
            }

            await context.Invoke();
        }
    }

    /// <summary>
    /// A paper venue that, during an outage, answers nothing until it ends — placements then arrive late, queries are
    /// "not known yet" — and, having left one placement unanswered, reports itself unavailable as a venue's breaker would.
    /// </summary>
    private sealed class TimingOutVenue
    {
        private volatile TaskCompletionSource _outageOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _outage;
        private volatile bool _leftUnanswered;

        public ConcurrentQueue<string> Placements { get; } = new();

        public bool Outage
        {
            get => _outage;
            set
            {
                _outage = value;
                if (!value)
                {
                    _leftUnanswered = false;
                    _outageOver.TrySetResult();
                }
                else if (_outageOver.Task.IsCompleted)
                {
                    _outageOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        public IBroker Around(TimeProvider time) => new Venue(this, new PaperBroker(new PaperVenueOptions(), time));

        private sealed class Venue(TimingOutVenue fault, PaperBroker paper) : IBroker
        {
            public string Name => paper.Name;

            public VenueTerms Terms => paper.Terms;

            public bool IsAvailable => !(fault._outage && fault._leftUnanswered);

            public async Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
            {
                fault.Placements.Enqueue(request.ClientOrderId);
                if (fault._outage)
                {
                    fault._leftUnanswered = true;
                    await fault._outageOver.Task;
                }

                return await paper.PlaceOrderAsync(request, cancellationToken);
            }

            public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
                fault._outage ? Task.FromResult<OrderAck?>(null) : paper.QueryOrderAsync(request, cancellationToken);

            public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
                fault._outage ? Task.FromResult<OrderAck?>(null) : paper.CancelOrderAsync(request, cancellationToken);
        }
    }
}
