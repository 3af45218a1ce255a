using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>
/// Issue #20, pairs as spreads: a pair's two legs go out as one basket; a leg the venue refuses or leaves unfilled has
/// the other unwound, within the leg-alone time; a single-symbol vote on a leg nets with the pair's sub-position.
/// </summary>
public sealed class PairBasketExecutionTests
{
    private const string Pair = "ETHUSDT|BTCUSDT";

    // OLS of ln ETH on ln BTC over 20 bars; the 31st bar lifts ETH 5 % off the relation: z > 2, short the spread
    // (sell ETH, buy β × its notional of BTC).
    private static readonly StrategyConfig Ols = new("ols-test", "pairs-ols", ["ETHUSDT", "BTCUSDT"],
        new Dictionary<string, double> { ["window"] = 20, ["entryZ"] = 2, ["exitZ"] = 0.5 });

    private static (List<Candle> Eth, List<Candle> Btc) Bars(int count = 31)
    {
        var btc = Enumerable.Range(0, count).Select(i => 30_000m * (decimal)(1 + 0.01 * Math.Sin(i / 3.0))).ToArray();
        var eth = btc.Select((b, i) => decimal.Round(b * 0.033m * (decimal)Math.Exp(0.002 * Math.Sin(1.7 * i)) * (i >= 30 ? 1.05m : 1m), 2)).ToArray();
        return ([.. Support.Bars.FromCloses("ETHUSDT", eth)], [.. Support.Bars.FromCloses("BTCUSDT", [.. btc.Select(b => decimal.Round(b, 2))])]);
    }

    private static async Task<TradingTestCluster> Start(LegVenue venue, string maxLegAloneTime = "00:00:01", decimal maxOrderNotional = 10_000m, string? database = null)
    {
        var settings = TestSettings.Quiet(database ?? TestSettings.NewDatabasePath());
        settings["Trading:Pairs:MaxLegAloneTime"] = maxLegAloneTime;
        settings["Trading:Risk:MaxOrderNotional"] = maxOrderNotional.ToString(CultureInfo.InvariantCulture);
        var cluster = await TradingTestCluster.StartAsync(settings, services: services =>
            services.AddSingleton<IReadOnlyList<IBroker>>(sp => [venue.Around(sp.GetRequiredService<TimeProvider>())]));
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(Ols);
        return cluster;
    }

    private static async Task FeedAligned(TradingTestCluster cluster, List<Candle> eth, List<Candle> btc)
    {
        foreach (var (a, b) in eth.Zip(btc))
        {
            await BarFeed.Feed(cluster.Client, [a, b]);
        }
    }

    private static async Task<List<ParentOrder>> Orders(TradingTestCluster cluster, string symbol) =>
        [.. (await cluster.Client.GetGrain<IExecutionGrain>(symbol).GetOrders(100)).OrderBy(o => o.PlacedAt)];

    private static async Task<PairState> State(TradingTestCluster cluster) =>
        Assert.Single(await cluster.Client.GetGrain<IPairGrain>(Pair).GetState());

    [Fact]
    public async Task A_leg_the_venue_refuses_has_the_other_unwound_and_nothing_is_sent_twice()
    {
        var venue = new LegVenue { ["BTCUSDT"] = LegVenue.Mode.Refuse };
        await using var cluster = await Start(venue);
        var (eth, btc) = Bars();

        await FeedAligned(cluster, eth, btc);

        var state = await State(cluster);
        Assert.Equal(SignalDirection.Short, state.SpreadPosition);
        var holding = state.Holding!;
        Assert.Equal((BasketStatus.Unwound, 1, 1), (holding.LastBasket, holding.Baskets, holding.Unwinds));
        Assert.Contains("leg BTCUSDT Rejected (-2010", holding.LastBasketNote);
        Assert.Equal((0m, 0m), (holding.QuantityA, holding.QuantityB));
        Assert.Equal(holding.RealizedPnl + holding.UnrealizedPnl - holding.Fees, holding.NetPnl);
        Assert.True(holding.Fees > 0);

        // ETH: the leg sold, then bought back under the leg's id + "-unwind"; BTC: the refused leg. One order each.
        var ethOrders = await Orders(cluster, "ETHUSDT");
        Assert.Equal(2, ethOrders.Count);
        var (leg, unwind) = (ethOrders[0], ethOrders[1]);
        Assert.Equal((OrderSide.Sell, OrderStatus.Filled), (leg.Side, leg.Status));
        Assert.Equal((leg.OrderId + "-unwind", OrderSide.Buy, OrderStatus.Filled, leg.FilledQuantity), (unwind.OrderId, unwind.Side, unwind.Status, unwind.FilledQuantity));
        var btcOrder = Assert.Single(await Orders(cluster, "BTCUSDT"));
        Assert.Equal((OrderSide.Buy, OrderStatus.Rejected), (btcOrder.Side, btcOrder.Status));
        Assert.Equal(3, venue.Placed.Distinct().Count());
        Assert.Equal(venue.Placed.Count, venue.Placed.Distinct().Count());

        var positions = (await cluster.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot()).Positions;
        Assert.All(positions, p => Assert.Equal(0m, p.Quantity));

        // Risk's book went back to no sub-position: a vote on ETH is sized on its own target alone.
        await Vote(cluster, eth[^1], SignalDirection.Long);
        var decision = (await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus()).RecentDecisions!.First(d => d.Symbol == "ETHUSDT");
        Assert.True(decision.Approved, decision.Explanation);
        Assert.DoesNotContain("pair legs", decision.Explanation);
    }

    [Fact]
    public async Task An_unwind_the_venue_refuses_leaves_the_leg_held_by_the_pair_in_its_book_and_in_risks()
    {
        // BTC's leg is refused, and so is ETH's unwind (the venue fills ETH's first order only, as after a ban).
        var venue = new LegVenue { ["BTCUSDT"] = LegVenue.Mode.Refuse, ["ETHUSDT"] = LegVenue.Mode.FillFirst };
        await using var cluster = await Start(venue);
        var (eth, btc) = Bars();

        await FeedAligned(cluster, eth, btc);

        var holding = (await State(cluster)).Holding!;
        var leg = (await Orders(cluster, "ETHUSDT"))[0];
        Assert.Equal((BasketStatus.Unwound, OrderSide.Sell), (holding.LastBasket, leg.Side));
        Assert.EndsWith($"still held: {-leg.FilledQuantity} ETHUSDT (the unwind did not fill whole)", holding.LastBasketNote);
        Assert.Equal((-leg.FilledQuantity, 0m), (holding.QuantityA, holding.QuantityB));
        Assert.Equal(-leg.FilledQuantity, await Position(cluster, "ETHUSDT"));

        // Risk counts the leg left as the pair's: a vote on ETH keeps it beside its own target.
        await Vote(cluster, eth[^1], SignalDirection.Long);
        var decision = (await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus()).RecentDecisions!.First(d => d.Symbol == "ETHUSDT");
        Assert.Equal(-leg.FilledQuantity, Number(decision.Explanation, "+ pair legs "));
    }

    [Fact]
    public async Task An_unwind_the_venue_fills_later_is_followed_until_final_and_its_fills_leave_nothing_held()
    {
        // BTC's leg is refused; ETH's leg fills, and its unwind is acknowledged but filled only later (a slow venue).
        var venue = new LegVenue { ["BTCUSDT"] = LegVenue.Mode.Refuse, ["ETHUSDT"] = LegVenue.Mode.FillFirstHoldOthers };
        await using var cluster = await Start(venue);
        var (eth, btc) = Bars();

        await FeedAligned(cluster, eth, btc);

        // Unwinding: the leg is held meanwhile, in the pair's book and in risk's (no new basket goes out).
        var unwinding = (await State(cluster)).Holding!;
        var leg = (await Orders(cluster, "ETHUSDT"))[0];
        Assert.Equal((BasketStatus.Unwinding, 0, -leg.FilledQuantity), (unwinding.LastBasket, unwinding.Unwinds, unwinding.QuantityA));

        venue.Release();
        var unwound = (await Eventually.Returns(() => State(cluster), s => s.Holding?.LastBasket == BasketStatus.Unwound,
            TimeSpan.FromSeconds(20), "the unwind to fill")).Holding!;

        Assert.Equal((1, 0m, 0m), (unwound.Unwinds, unwound.QuantityA, unwound.QuantityB));
        Assert.DoesNotContain("still held", unwound.LastBasketNote);
        Assert.Equal(0m, await Position(cluster, "ETHUSDT"));
        await Vote(cluster, eth[^1], SignalDirection.Long);
        var decision = (await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus()).RecentDecisions!.First(d => d.Symbol == "ETHUSDT");
        Assert.DoesNotContain("pair legs", decision.Explanation);
    }

    [Fact]
    public async Task A_leg_that_does_not_fill_is_cancelled_and_the_other_unwound_once_the_leg_alone_time_is_over()
    {
        var venue = new LegVenue { ["BTCUSDT"] = LegVenue.Mode.Rest };
        var database = TestSettings.NewDatabasePath();
        await using var cluster = await Start(venue, maxLegAloneTime: "00:00:01", database: database);
        var silo = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);
        using var readings = new MetricReadings(silo.GetRequiredService<IMeterFactory>());
        var (eth, btc) = Bars();

        await FeedAligned(cluster, eth, btc);
        var working = (await State(cluster)).Holding!;
        var state = await Eventually.Returns(() => State(cluster), s => s.Holding?.LastBasket == BasketStatus.Unwound,
            TimeSpan.FromSeconds(20), "the working basket to be unwound");

        Assert.Equal(BasketStatus.Working, working.LastBasket);
        Assert.StartsWith("a leg was not filled within", state.Holding!.LastBasketNote);
        var ethOrders = await Orders(cluster, "ETHUSDT");
        Assert.Equal(2, ethOrders.Count);
        var alone = ethOrders[1].PlacedAt!.Value - ethOrders[0].PlacedAt!.Value;
        // Looked at every quarter of the leg-alone time: unwound once 1 s after the basket went out (it was still working
        // when the bar's turn ended), and not much later (2 s more leave room for a busy machine).
        Assert.True(alone <= TimeSpan.FromSeconds(3), $"ETH was alone {alone}");
        Assert.Equal(ethOrders[0].FilledQuantity, ethOrders[1].FilledQuantity);
        Assert.Equal(OrderStatus.Cancelled, Assert.Single(await Orders(cluster, "BTCUSDT")).Status);
        var positions = (await cluster.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot()).Positions;
        Assert.All(positions, p => Assert.Equal(0m, p.Quantity));

        // Legging risk is measured (the time the legs were not all filled, the unwind) and the unwind is audited.
        var legAlone = Assert.Single(readings.Recorded("trading.pair.leg_alone"));
        Assert.Equal(("ETHUSDT|BTCUSDT", "ols-test"), (legAlone.Tags["pair"], legAlone.Tags["strategy"]));
        Assert.InRange(legAlone.Value, 1.0, 3.0);
        Assert.Equal([1.0], readings.Recorded("trading.pair.basket_unwinds").Select(r => r.Value));
        await silo.GetRequiredService<FileAuditTrail>().FlushAsync();
        var audit = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl"));
        Assert.Contains("basket of ols-test unwound: a leg was not filled within", audit);
    }

    [Fact]
    public async Task A_leg_execution_never_answered_for_is_withdrawn_at_the_leg_alone_time_and_its_late_placement_sends_nothing()
    {
        var venue = new LegVenue();
        await using var cluster = await Start(venue);
        var (eth, btc) = Bars(count: 1);
        await FeedAligned(cluster, eth, btc);

        // A basket whose ETH leg filled and whose BTC placement execution never answered (the call timed out, the
        // message still on its way): the entry settles it once the leg-alone time is over.
        var now = DateTimeOffset.UtcNow;
        OrderIntent Leg(string symbol, OrderSide side, decimal quantity, decimal price) =>
            new($"withdraw-test-{symbol}", symbol, side, quantity, price, "basket leg", eth[0].CloseTime, now, SpreadRisk.Immediate);
        var (ethLeg, btcLeg) = (Leg("ETHUSDT", OrderSide.Sell, 1m, eth[0].Close), Leg("BTCUSDT", OrderSide.Buy, 0.033m, btc[0].Close));
        var ethOrder = await cluster.Client.GetGrain<IExecutionGrain>("ETHUSDT").Execute(ethLeg, null);
        Assert.Equal(OrderStatus.Filled, ethOrder.Status);
        var decision = new SpreadDecision("withdraw-test", 1, -1m, 0.033m, [ethLeg, btcLeg], RiskRejectionReason.None, "test basket", now);

        var settled = await cluster.Client.GetGrain<IOrderEntryGrain>(0).SettleBasket(new BasketOutcome(decision, BasketStatus.Working, [ethOrder], now), legTimeOver: true);

        Assert.Equal(BasketStatus.Unwound, settled.Status);
        var withdrawn = Assert.Single(settled.Orders, o => o.Symbol == "BTCUSDT");
        Assert.Equal((OrderStatus.Cancelled, 0m, "withdrawn before it was placed"), (withdrawn.Status, withdrawn.FilledQuantity, withdrawn.RejectReason));
        Assert.Contains(settled.Orders, o => o.OrderId == ethLeg.IntentId + "-unwind" && o.Status == OrderStatus.Filled);

        // The placement arrives late: it finds the withdrawn order, and nothing reaches the venue.
        var late = await cluster.Client.GetGrain<IExecutionGrain>("BTCUSDT").Execute(btcLeg, null);
        Assert.Equal(OrderStatus.Cancelled, late.Status);
        Assert.DoesNotContain(venue.Placed, id => id.Contains("BTCUSDT", StringComparison.Ordinal));
        Assert.All((await cluster.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot()).Positions, p => Assert.Equal(0m, p.Quantity));
    }

    [Fact]
    public async Task A_vote_on_a_leg_nets_with_the_pairs_sub_position_into_one_order_and_the_pair_closes_only_its_own()
    {
        // An order limit above the vote's 20 % of equity: the vote's order is not cut, so its size is the sum.
        await using var cluster = await Start(new LegVenue(), maxOrderNotional: 24_000m);
        var (eth, btc) = Bars();
        await FeedAligned(cluster, eth, btc);
        var pair = (await State(cluster)).Holding!;
        Assert.Equal(BasketStatus.Completed, pair.LastBasket);
        Assert.True(pair.QuantityA < 0 && pair.QuantityB > 0, $"{pair.QuantityA} ETH, {pair.QuantityB} BTC");

        // A long vote on ETH: risk's target is the vote's quantity plus the pair's ETH leg, traded in one order.
        await Vote(cluster, eth[^1], SignalDirection.Long);
        var decision = (await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus()).RecentDecisions!.First(d => d.Symbol == "ETHUSDT");
        Assert.True(decision.Approved, decision.Explanation);
        var voteQuantity = Number(decision.Explanation, "/ " + eth[^1].Close.ToString(CultureInfo.InvariantCulture) + " = ");
        var legs = Number(decision.Explanation, "+ pair legs ");
        var target = Number(decision.Explanation, $"+ pair legs {legs.ToString(CultureInfo.InvariantCulture)} = ");
        Assert.Equal(pair.QuantityA, legs);
        Assert.Equal(voteQuantity + pair.QuantityA, target);
        var ethOrders = await Orders(cluster, "ETHUSDT");
        Assert.Equal(2, ethOrders.Count);
        Assert.Equal((OrderSide.Buy, decimal.Round(voteQuantity, 5, MidpointRounding.ToZero)), (ethOrders[1].Side, ethOrders[1].FilledQuantity));
        Assert.Equal(ethOrders[1].FilledQuantity + pair.QuantityA, await Position(cluster, "ETHUSDT"));

        // The pair strategy goes: its basket closes its own legs, the vote's ETH stays.
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Delete(Ols.Id);
        await Eventually.Returns(() => Position(cluster, "BTCUSDT"), q => q == 0, TimeSpan.FromSeconds(10), "the pair's BTC leg to close");
        Assert.Equal(ethOrders[1].FilledQuantity, await Position(cluster, "ETHUSDT"));
    }

    private static async Task<decimal> Position(TradingTestCluster cluster, string symbol) =>
        (await cluster.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot()).Positions.FirstOrDefault(p => p.Symbol == symbol)?.Quantity ?? 0m;

    /// <summary>A full-strength vote of a single-symbol strategy on <paramref name="bar"/>'s symbol, and the order it leads to.</summary>
    private static async Task Vote(TradingTestCluster cluster, Candle bar, SignalDirection direction)
    {
        await cluster.Client.GetGrain<ISignalAggregatorGrain>(bar.Symbol).Submit(
            [new Signal("vote-test", bar.Symbol, direction, 1, bar.Close, "test vote", bar.CloseTime, DateTimeOffset.UtcNow)]);
        await cluster.Client.GetGrain<ISymbolGrain>(bar.Symbol).OrderPathSettled();
    }

    /// <summary>The number that follows <paramref name="label"/> in a risk explanation.</summary>
    private static decimal Number(string text, string label)
    {
        var start = text.IndexOf(label, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{label}' not in: {text}");
        var digits = new string([.. text[(start + label.Length)..].TakeWhile(c => char.IsDigit(c) || c is '.' or '-')]);
        return decimal.Parse(digits, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A paper venue whose orders in a symbol are refused (as Binance refuses with -2010), rest unfilled until cancelled,
    /// or fill for the first order only; the other symbols fill as on the paper venue. Every client order id placed is
    /// recorded.
    /// </summary>
    private sealed class LegVenue : Dictionary<string, LegVenue.Mode>
    {
        public enum Mode { Fill, Refuse, Rest, FillFirst, FillFirstHoldOthers }

        private const string InsufficientBalance = "-2010 Account has insufficient balance for requested action.";

        // Each symbol's first client order id: a FillFirst symbol fills that order and refuses every other.
        private readonly ConcurrentDictionary<string, string> _firstOrders = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Placed { get; } = new();

        // FillFirstHoldOthers: the orders after a symbol's first, acknowledged and left unanswered until Release.
        private readonly ConcurrentDictionary<string, OrderRequest> _held = new(StringComparer.Ordinal);
        private volatile bool _released;

        /// <summary>Held orders fill from now on, when execution next asks about them.</summary>
        public void Release() => _released = true;

        private bool IsFirst(OrderRequest request) => _firstOrders.GetOrAdd(request.Symbol, request.ClientOrderId) == request.ClientOrderId;

        public IBroker Around(TimeProvider time) => new Venue(this, new PaperBroker(new PaperVenueOptions(), time), time);

        private sealed class Venue(LegVenue legs, PaperBroker paper, TimeProvider time) : IBroker
        {
            public string Name => paper.Name;

            public VenueTerms Terms => paper.Terms;

            public bool IsAvailable => true;

            public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
            {
                legs.Placed.Enqueue(request.ClientOrderId);
                return legs.GetValueOrDefault(request.Symbol) switch
                {
                    Mode.Refuse => Task.FromResult(Ack(request, OrderStatus.Rejected, InsufficientBalance)),
                    Mode.FillFirst when !legs.IsFirst(request) => Task.FromResult(Ack(request, OrderStatus.Rejected, InsufficientBalance)),
                    Mode.Rest => Task.FromResult(Ack(request, OrderStatus.New)),
                    Mode.FillFirstHoldOthers when !legs.IsFirst(request) => Hold(request),
                    _ => paper.PlaceOrderAsync(request, cancellationToken),
                };
            }

            /// <summary>The held order as placed (a query's request carries no price), filled by the paper venue.</summary>
            private async Task<OrderAck?> Release(OrderRequest placed, CancellationToken cancellationToken) =>
                await paper.PlaceOrderAsync(placed, cancellationToken);

            private Task<OrderAck> Hold(OrderRequest request)
            {
                legs._held[request.ClientOrderId] = request;
                return Task.FromResult(Ack(request, OrderStatus.New));
            }

            public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
                legs.GetValueOrDefault(request.Symbol) switch
                {
                    Mode.Refuse => Task.FromResult<OrderAck?>(Ack(request, OrderStatus.Rejected, InsufficientBalance)),
                    Mode.FillFirst when !legs.IsFirst(request) => Task.FromResult<OrderAck?>(Ack(request, OrderStatus.Rejected, InsufficientBalance)),
                    Mode.Rest => Task.FromResult<OrderAck?>(Ack(request, OrderStatus.New)),
                    Mode.FillFirstHoldOthers when legs._held.TryGetValue(request.ClientOrderId, out var held) => legs._released
                        ? Release(held, cancellationToken)
                        : Task.FromResult<OrderAck?>(Ack(request, OrderStatus.New)),
                    _ => paper.QueryOrderAsync(request, cancellationToken),
                };

            public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
                legs.GetValueOrDefault(request.Symbol) == Mode.Rest
                    ? Task.FromResult<OrderAck?>(Ack(request, OrderStatus.Cancelled))
                    : paper.CancelOrderAsync(request, cancellationToken);

            private OrderAck Ack(OrderRequest request, OrderStatus status, string? reason = null) =>
                new(request.ClientOrderId, $"test-{request.ClientOrderId}", status, [], reason, time.GetUtcNow());
        }
    }
}
