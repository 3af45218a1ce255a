using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>Real 2021 Binance bars through the whole pipeline: channel, strategies, vote, risk, execution, paper broker, portfolio.</summary>
public sealed class ReplayTradingTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Fact]
    public async Task Three_days_of_real_bars_produce_filled_orders_that_reconcile_exactly_with_the_portfolio()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-04T00:00:00Z", Symbols);
        await using var cluster = await TradingTestCluster.StartAsync(settings);

        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));

        var orders = (await Task.WhenAll(Symbols.Select(s => cluster.Client.GetGrain<IExecutionGrain>(s).GetOrders(1_000))))
            .SelectMany(o => o).ToList();
        var portfolio = await cluster.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot();

        Assert.NotEmpty(orders);
        Assert.Contains(orders, o => o.Symbol == "BTCUSDT");
        Assert.Contains(orders, o => o.Symbol == "ETHUSDT");
        Assert.All(orders, o =>
        {
            Assert.Equal(OrderStatus.Filled, o.Status);
            Assert.Equal(o.Quantity, o.FilledQuantity);
            Assert.True(o.TickToOrderLatency > TimeSpan.Zero, $"{o.OrderId} has no positive tick-to-order latency");
            Assert.True(o.MarketTime >= new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));
        });

        // Cash moves by exactly the fills' notionals and fees; positions are exactly the signed fill quantities.
        Reconciliation.AssertPortfolioMatchesFills(portfolio, [.. orders.SelectMany(o => o.Fills)], Symbols);
        Assert.Equal(portfolio.Cash + portfolio.Positions.Sum(p => p.Quantity * p.LastPrice), portfolio.Equity);
        Assert.Equal(portfolio.RealizedPnl + portfolio.UnrealizedPnl - portfolio.FeesPaid, portfolio.Equity - portfolio.InitialCash);
    }

    [Fact]
    public async Task Every_default_strategy_votes_on_its_symbols()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", Symbols);
        await using var cluster = await TradingTestCluster.StartAsync(settings);

        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
        var eth = await cluster.Client.GetGrain<ISignalAggregatorGrain>("ETHUSDT").GetSignals();

        // 576 bars per symbol: enough for SMA(288), RSI(14) and the pair's 500-bar window. The pair strategy does not
        // vote: it holds its spread as baskets of both legs (checked below through the PairGrain).
        Assert.Equal(["rsi-14", "sma-4h-1d"], eth.Latest.Select(s => s.StrategyId));
        Assert.All(eth.Latest, s => Assert.Equal(new DateTimeOffset(2021, 1, 3, 0, 0, 0, TimeSpan.Zero), s.MarketTime));
        Assert.NotNull(eth.Combined);

        // SMA(48/288) votes long or short on every bar from the 288th: each vote is judged by the next bar's move.
        var sma = eth.Performance!.Single(p => p.StrategyId == "sma-4h-1d");
        Assert.Equal(576 - 288, sma.JudgedSignals);
        // Its weight comes from its shadow book's PnL on ETH, taken from the portfolio on the first bar closing in each
        // hour: the last was the bar closing at midnight, which opened at 23:55.
        Assert.Equal(new DateTimeOffset(2021, 1, 2, 23, 55, 0, TimeSpan.Zero), sma.AttributedAsOf);
        Assert.NotEqual(0m, sma.AttributedPnl);
        // A full position: the default 20 % of the default 100,000 initial cash; η = 20.
        Assert.Equal(Math.Clamp(Math.Exp(20 * (double)(sma.AttributedPnl!.Value / 20_000m)), 0.25, 2.0), sma.PerformanceFactor, 12);
        Assert.InRange(eth.Combined.Contributions.Single(c => c.StrategyId == "sma-4h-1d").PerformanceFactor, 0.25, 2.0);
        var pairs = await cluster.Client.GetGrain<IPairGrain>("ETHUSDT|BTCUSDT").GetState();
        Assert.Equal(["johansen-eth-btc"], pairs.Select(p => p.StrategyId));
        Assert.All(pairs, pair => Assert.Equal(576, pair.AlignedBars));
        Assert.All(pairs, pair => Assert.NotNull(pair.HedgeRatio));

        // The window filled at bar 500 and was re-tested 50 bars later (bar 550 closes at 2021-01-02 21:50).
        var johansen = pairs.Single(p => p.StrategyId == "johansen-eth-btc").Cointegration!;
        Assert.Equal(new DateTimeOffset(2021, 1, 2, 21, 50, 0, TimeSpan.Zero), johansen.TestedAt);
        Assert.Equal(15.4943, johansen.TraceCriticalValue);
    }

    [Fact]
    public async Task A_tight_daily_loss_stop_changes_what_gets_traded()
    {
        async Task<(int Orders, string Audit)> Replay(string dailyLoss)
        {
            var database = TestSettings.NewDatabasePath();
            var settings = TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-05T00:00:00Z", Symbols);
            settings["Trading:Risk:DailyLossFraction"] = dailyLoss;
            await using var cluster = await TradingTestCluster.StartAsync(settings);
            await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
            var orders = (await Task.WhenAll(Symbols.Select(s => cluster.Client.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).Sum(o => o.Count);
            await cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<FileAuditTrail>().FlushAsync();
            return (orders, await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl")));
        }

        var unlimited = await Replay("0");
        var stopped = await Replay("0.002");

        Assert.DoesNotContain("daily loss stop", unlimited.Audit);
        Assert.Contains("daily loss stop", stopped.Audit);
        Assert.Contains("ReducingOnly", stopped.Audit);
        Assert.True(stopped.Orders < unlimited.Orders, $"{stopped.Orders} orders with the stop, {unlimited.Orders} without");
    }
}
