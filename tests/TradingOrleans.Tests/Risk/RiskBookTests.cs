using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Risk;

/// <summary>
/// Risk decides on the book the portfolio pushes (issue #25): no call to the portfolio for a signal whose bar, or the bar
/// before it, the book has; a call when it is further behind; an order open until the book that holds its fill arrives.
/// </summary>
public sealed class RiskBookTests
{
    private static readonly DateTimeOffset T = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    private static CombinedSignal Long(string symbol, long sequence, DateTimeOffset marketTime) =>
        new(symbol, sequence, SignalDirection.Long, 1.0, [new SignalContribution("s", SignalDirection.Long, 1, 1)], 100m, marketTime, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_signal_is_decided_on_the_pushed_book_and_the_portfolio_is_asked_only_when_the_book_is_behind_its_bar()
    {
        var calls = new CallCounter();
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()),
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls));
        var (portfolio, risk) = (cluster.Client.GetGrain<IPortfolioGrain>(0), cluster.Client.GetGrain<IRiskGrain>(0));

        // One symbol: each mark completes its bar close's row, and the portfolio pushes the book; two closes give the bar length.
        await Mark(portfolio, calls, T, pushes: 1);
        await Mark(portfolio, calls, T.AddMinutes(5), pushes: 2);

        Assert.True((await risk.Evaluate(Long("BTCUSDT", 1, T.AddMinutes(5)))).Approved);
        Assert.Equal(0, calls[nameof(IPortfolioGrain.GetRiskBook)]);

        // The next bar's signal before that bar's marks are all in: the book has the bar before it, which will do.
        await risk.Evaluate(Long("BTCUSDT", 2, T.AddMinutes(10)));
        Assert.Equal(0, calls[nameof(IPortfolioGrain.GetRiskBook)]);

        // Two bars ahead of the book: risk asks for the book as it is.
        await risk.Evaluate(Long("BTCUSDT", 3, T.AddMinutes(15)));
        Assert.Equal(1, calls[nameof(IPortfolioGrain.GetRiskBook)]);
    }

    [Fact]
    public async Task An_order_counts_as_open_until_the_book_that_holds_its_fill_and_then_only_as_held()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:Risk:MaxOpenOrders"] = "1";
        settings["Trading:Risk:PositionSizeFraction"] = "0.05"; // 5,000 of the 100,000: one order, under the order limit
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var (portfolio, risk) = (cluster.Client.GetGrain<IPortfolioGrain>(0), cluster.Client.GetGrain<IRiskGrain>(0));
        await portfolio.MarkToMarket("BTCUSDT", 100m, T);
        await portfolio.MarkToMarket("ETHUSDT", 100m, T);

        var first = await risk.Evaluate(Long("BTCUSDT", 1, T));
        var bought = first.Intent!;
        Assert.Equal(RiskRejectionReason.OpenOrderLimit, (await risk.Evaluate(Long("ETHUSDT", 1, T))).Rejection);

        // Execution books the order's fill and closes it in one call; risk hears of both with the book the portfolio pushes.
        await portfolio.ApplyFills([new Fill("f-1", $"{bought.IntentId}-1", "BTCUSDT", OrderSide.Buy, bought.Quantity, 100m, 0m, T)], [bought.IntentId], null);
        var second = await Eventually.Returns(() => risk.Evaluate(Long("ETHUSDT", 2, T)), d => d.Approved, what: "an approval once the first order closed");
        Assert.Equal("ETHUSDT", second.Symbol);

        // The filled BTC is held once, not also as open: the same long target has nothing left to buy.
        var again = await risk.Evaluate(Long("BTCUSDT", 2, T));
        Assert.True(first.TargetReached);
        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, again.Rejection);
    }

    [Fact]
    public async Task With_the_portfolio_gone_reduce_only_judges_on_the_last_book_risk_holds()
    {
        var calls = new CallCounter();
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        settings["Trading:OrderPath:WhenDegraded"] = "ReduceOnly";
        settings["Trading:OrderPath:PortfolioTimeout"] = "00:00:00.300";
        settings["Trading:Risk:PositionSizeFraction"] = "0.05";
        await using var cluster = await TradingTestCluster.StartAsync(settings, services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls));
        var (portfolio, risk) = (cluster.Client.GetGrain<IPortfolioGrain>(0), cluster.Client.GetGrain<IRiskGrain>(0));
        await Mark(portfolio, calls, T, pushes: 1);
        await Mark(portfolio, calls, T.AddMinutes(5), pushes: 2);
        await portfolio.ApplyFills([new Fill("f-1", "held-1", "BTCUSDT", OrderSide.Buy, 50m, 100m, 0m, T)], [], null);
        await Pushed(calls, 3);

        // The portfolio stops: it pushes nothing more, and fails when asked. Two bars on, the book held is too far behind:
        // closing the BTC held passes, opening ETH is held.
        calls.FailPortfolio = true;
        var reducing = await risk.Evaluate(Signal("BTCUSDT", SignalDirection.Flat, T.AddMinutes(15)));
        var adding = await risk.Evaluate(Signal("ETHUSDT", SignalDirection.Long, T.AddMinutes(15)));

        Assert.True(reducing.Approved, reducing.Explanation);
        Assert.Equal((OrderSide.Sell, 50m), (reducing.Intent!.Side, reducing.Intent.Quantity));
        Assert.Contains("reduce-only on the portfolio's last answer", reducing.Explanation);
        Assert.Equal(RiskRejectionReason.OrderPathDegraded, adding.Rejection);
    }

    /// <summary>A BTC mark at 100, taken before the next is sent (marks are one-way, and a late one is not a new bar).</summary>
    private static async Task Mark(IPortfolioGrain portfolio, CallCounter calls, DateTimeOffset closeTime, int pushes)
    {
        await portfolio.MarkToMarket("BTCUSDT", 100m, closeTime);
        await Pushed(calls, pushes);
    }

    private static Task Pushed(CallCounter calls, int books) =>
        Eventually.Returns(() => Task.FromResult(calls[nameof(IRiskGrain.OnRiskBook)]), n => n >= books, what: $"{books} books pushed");

    private static CombinedSignal Signal(string symbol, SignalDirection direction, DateTimeOffset marketTime) =>
        new(symbol, 1, direction, (int)direction, [new SignalContribution("s", direction, 1, 1)], 100m, marketTime, DateTimeOffset.UtcNow);

    /// <summary>Counts the calls each grain method received, by method name; can make the portfolio's book fail.</summary>
    private sealed class CallCounter : IIncomingGrainCallFilter
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public int this[string method] => _calls.GetValueOrDefault(method);

        /// <summary>While set, the portfolio's book is neither pushed nor given.</summary>
        public volatile bool FailPortfolio;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            _calls.AddOrUpdate(context.MethodName, 1, (_, n) => n + 1);
            return FailPortfolio && context.MethodName is nameof(IRiskGrain.OnRiskBook) or nameof(IPortfolioGrain.GetRiskBook)
                ? throw new InvalidOperationException("portfolio store unavailable")
                : context.Invoke();
        }
    }
}
