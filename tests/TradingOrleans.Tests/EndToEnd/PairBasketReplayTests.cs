using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>Issue #20, pairs as spreads: a Johansen ETH/BTC pair on real 2021 bars holds its legs in the model's hedge ratio.</summary>
public sealed class PairBasketReplayTests
{
    private const decimal LotEth = 0.0001m;
    private const decimal LotBtc = 0.00001m;
    private const decimal MinOrderNotional = 10m;

    // A 300-bar window re-tested every 10 bars: on 2021-01-01..06 it opens spreads with β from −6.3 (both legs long or
    // both short) to +2.1 (opposite legs), and re-estimates β while holding them.
    private static readonly StrategyConfig Johansen = new("johansen-test", "pairs-johansen", ["ETHUSDT", "BTCUSDT"],
        new Dictionary<string, double> { ["window"] = 300, ["retestEvery"] = 10 });

    [Fact]
    public async Task On_real_bars_the_held_legs_are_in_the_models_hedge_ratio_at_every_bar_and_are_rehedged_after_each_reestimate()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Pairs:MinimumHedgeRatioChange"] = "0";
        settings["Trading:Instruments:Symbols:ETHUSDT:LotStep"] = LotEth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Trading:Instruments:Symbols:BTCUSDT:LotStep"] = LotBtc.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        await cluster.Client.GetGrain<IStrategyRegistryGrain>(0).Save(Johansen);
        var pair = cluster.Client.GetGrain<IPairGrain>("ETHUSDT|BTCUSDT");
        var portfolio = cluster.Client.GetGrain<IPortfolioGrain>(0);

        var (from, to) = (new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 6, 12, 0, 0, TimeSpan.Zero));
        var eth = Read("ETHUSDT", from, to);
        var btc = Read("BTCUSDT", from, to).ToDictionary(b => b.OpenTime);
        (decimal A, decimal B) held = (0, 0), sizedAt = (0, 0);
        double? heldBeta = null;
        int baskets = 0, rehedges = 0, checkedBars = 0;
        foreach (var barA in eth.Where(b => btc.ContainsKey(b.OpenTime)))
        {
            var barB = btc[barA.OpenTime];
            await BarFeed.Feed(cluster.Client, [barA, barB]);
            var state = Assert.Single(await pair.GetState());
            var holding = state.Holding ?? new SpreadHolding(0, 0, 0, 0, null, 0, 0, 0, 0, null, null, 0, 0);
            if ((holding.QuantityA, holding.QuantityB) != held)
            {
                baskets++;
                rehedges += held.A != 0 && Math.Sign(held.A) == Math.Sign(holding.QuantityA) && state.HedgeRatio != heldBeta ? 1 : 0;
                (held, sizedAt) = ((holding.QuantityA, holding.QuantityB), (barA.Close, barB.Close));
                Assert.Equal(BasketStatus.Completed, holding.LastBasket);
            }

            // The account holds exactly the pair's legs (no other strategy), filled as its baskets filled.
            var positions = (await portfolio.GetSnapshot()).Positions.ToDictionary(p => p.Symbol, p => p.Quantity);
            Assert.Equal(held.A, positions.GetValueOrDefault("ETHUSDT"));
            Assert.Equal(held.B, positions.GetValueOrDefault("BTCUSDT"));
            if (held.A == 0)
            {
                Assert.Equal(0, held.B);
                heldBeta = null;
                continue;
            }

            // Leg B = −β × leg A's notional at the prices the basket was sized on, rounded down to B's lot; a re-hedge
            // of B below the minimum order leaves B as it was.
            Assert.Equal(state.SpreadPosition == Grains.Interfaces.Signals.SignalDirection.Long ? 1 : -1, Math.Sign(held.A));
            var wantedB = -(decimal)state.HedgeRatio!.Value * held.A * sizedAt.A / sizedAt.B;
            Assert.True(Math.Abs(held.B - wantedB) <= LotBtc + MinOrderNotional / sizedAt.B,
                $"{barA.CloseTime:u}: holding {held.A} ETH and {held.B} BTC, β {state.HedgeRatio:0.####} wants {wantedB:0.#####} BTC");
            heldBeta = state.HedgeRatio;
            checkedBars++;
        }

        Assert.True(baskets >= 10, $"{baskets} baskets");
        Assert.True(rehedges >= 6, $"{rehedges} re-hedges after a re-estimate");
        Assert.True(checkedBars >= 50, $"{checkedBars} bars holding a spread");

        // Every leg order is a basket's: both legs of one target go out under the same strategy id and sequence.
        var orders = (await Task.WhenAll(new[] { "ETHUSDT", "BTCUSDT" }.Select(s => cluster.Client.GetGrain<IExecutionGrain>(s).GetOrders(1_000))))
            .SelectMany(o => o).ToList();
        Assert.All(orders, o => Assert.Equal(OrderStatus.Filled, o.Status));
        Assert.All(orders, o => Assert.StartsWith("johansen-test-", o.OrderId));
    }

    private static List<Candle> Read(string symbol, DateTimeOffset from, DateTimeOffset to) =>
        [.. CandleCsvReader.Read(RepoData.File(symbol), TimeSpan.FromMinutes(5), (_, _) => { }).Where(b => b.OpenTime >= from && b.OpenTime < to)];
}
