using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.EndToEnd;

/// <summary>Portfolio-wide limits on real 2021 bars: they change what gets traded, and risk reports VaR three ways.</summary>
public sealed class PortfolioRiskReplayTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    private static async Task<(IReadOnlyList<ParentOrder> Orders, string Audit, RiskStatus Status)> Replay(params (string Key, string Value)[] risk)
    {
        var database = TestSettings.NewDatabasePath();
        var settings = TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-04T00:00:00Z", Symbols);
        foreach (var (key, value) in risk)
        {
            settings[$"Trading:Risk:{key}"] = value;
        }

        await using var cluster = await TradingTestCluster.StartAsync(settings);
        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
        var orders = (await Task.WhenAll(Symbols.Select(s => cluster.Client.GetGrain<IExecutionGrain>(s).GetOrders(1_000)))).SelectMany(o => o).ToList();
        var status = await cluster.Client.GetGrain<IRiskGrain>(0).GetStatus();
        await cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<FileAuditTrail>().FlushAsync();
        return (orders, await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl")), status);
    }

    [Fact]
    public async Task A_tight_var_limit_trades_smaller_and_says_why()
    {
        var baseline = await Replay(("MaxValueAtRiskFraction", "0"), ("MaxCorrelatedExposure", "0"));
        var tight = await Replay(("MaxValueAtRiskFraction", "0.004"), ("MaxCorrelatedExposure", "0"));

        static decimal Traded(IEnumerable<ParentOrder> orders) => orders.Sum(o => o.FilledQuantity * o.AverageFillPrice);
        Assert.Contains("VaR 99.0 % over 1.00:00:00 after the order", tight.Audit);
        Assert.Contains("order scaled to", tight.Audit);
        Assert.True(Traded(tight.Orders) < Traded(baseline.Orders), $"{Traded(tight.Orders)} traded with the VaR limit, {Traded(baseline.Orders)} without");

        // Risk reports the portfolio's VaR and ES three ways; Monte Carlo (20,000 seeded normal paths on the same
        // covariance) lands near the closed-form parametric figure.
        var measures = tight.Status.Measures!;
        Assert.Equal(["historical", "parametric", "monte-carlo"], measures.ValueAtRisk.Select(v => v.Method));
        var parametric = measures.ValueAtRisk[1];
        var monteCarlo = measures.ValueAtRisk[2];
        Assert.True(parametric.ValueAtRisk > 0);
        Assert.InRange(monteCarlo.ValueAtRisk / parametric.ValueAtRisk, 0.95, 1.05);
        Assert.True(parametric.ExpectedShortfall > parametric.ValueAtRisk);

        // The limit is enforced at each order: the VaR after it is within the budget, or no worse than before it when
        // prices had already pushed the portfolio over (the end-of-replay figure drifts with prices, orders or not).
        var checks = Regex.Matches(tight.Audit, @"VaR 99\.0 % over 1\.00:00:00 after the order ([\d.]+) \(limit ([\d.]+)(?:, ([\d.]+) before the order)?\)");
        Assert.NotEmpty(checks);
        foreach (Match check in checks)
        {
            var after = double.Parse(check.Groups[1].Value, CultureInfo.InvariantCulture);
            var allowed = double.Parse(check.Groups[check.Groups[3].Success ? 3 : 2].Value, CultureInfo.InvariantCulture);
            Assert.True(after <= allowed + 0.01, check.Value);
        }
        Assert.Contains(tight.Status.RecentDecisions!, d => d.Approved);
    }

    [Fact]
    public async Task Half_kelly_sizing_from_the_strategies_records_changes_the_orders()
    {
        var fixedSize = await Replay(("KellyFraction", "0"));
        var kelly = await Replay(("KellyFraction", "0.5"));

        Assert.DoesNotContain("Kelly:", fixedSize.Audit);
        Assert.Contains("Kelly: 0.5 ", kelly.Audit);
        Assert.NotEqual(
            fixedSize.Orders.Select(o => (o.Symbol, o.Quantity)).Order(),
            kelly.Orders.Select(o => (o.Symbol, o.Quantity)).Order());
    }

    [Fact]
    public async Task The_order_throttle_stops_approvals_past_the_rate_limit()
    {
        // The whole three-day replay runs in seconds of wall time: only two orders fit in a minute.
        var throttled = await Replay(("MaxOrdersPerMinute", "2"));

        Assert.Equal(2, throttled.Orders.Count);
        Assert.Contains(throttled.Status.RecentRejections, d => d.Rejection == RiskRejectionReason.OrderRateLimit);
        Assert.Contains("orders in the last minute reach the limit of 2", throttled.Audit);
    }
}
