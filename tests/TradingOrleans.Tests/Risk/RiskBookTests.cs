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
        await portfolio.MarkToMarket("BTCUSDT", 100m, T);
        await portfolio.MarkToMarket("BTCUSDT", 100m, T.AddMinutes(5));
        await Eventually.Returns(() => Task.FromResult(calls[nameof(IRiskGrain.OnRiskBook)]), n => n >= 2, what: "the books pushed");

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
        await portfolio.ApplyFills([new Fill("f-1", $"{bought.IntentId}-1", "BTCUSDT", OrderSide.Buy, bought.Quantity, 100m, 0m, T)], [bought.IntentId]);
        var second = await Eventually.Returns(() => risk.Evaluate(Long("ETHUSDT", 2, T)), d => d.Approved, what: "an approval once the first order closed");
        Assert.Equal("ETHUSDT", second.Symbol);

        // The filled BTC is held once, not also as open: the same long target has nothing left to buy.
        var again = await risk.Evaluate(Long("BTCUSDT", 2, T));
        Assert.True(first.TargetReached);
        Assert.Equal(RiskRejectionReason.AlreadyAtTarget, again.Rejection);
    }

    /// <summary>Counts the calls each grain method received, by method name.</summary>
    private sealed class CallCounter : IIncomingGrainCallFilter
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public int this[string method] => _calls.GetValueOrDefault(method);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            _calls.AddOrUpdate(context.MethodName, 1, (_, n) => n + 1);
            return context.Invoke();
        }
    }
}
