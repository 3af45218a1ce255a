using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// Brings symbols whose weight drifted beyond the band back to their targets: one order per symbol, reviewed by
/// risk and executed like any other. Runs on an Orleans reminder and when asked over the API.
/// </summary>
public sealed class RebalancerGrain(IOptions<PortfolioOptions> options, TimeProvider time, ILogger<RebalancerGrain> logger)
    : Grain, IRebalancerGrain, IRemindable
{
    private const string ReminderName = "rebalance";
    private RebalanceOutcome? _last;

    async Task IRebalancerGrain.Schedule()
    {
        if (options.Value is { RebalanceInterval: { } interval, TargetWeights.Count: > 0 })
        {
            await this.RegisterOrUpdateReminder(ReminderName, interval, interval);
        }
        else if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? Run("scheduled") : Task.CompletedTask;

    Task<RebalanceOutcome> IRebalancerGrain.Rebalance(string trigger) => Run(trigger);

    Task<RebalanceOutcome?> IRebalancerGrain.GetLastOutcome() => Task.FromResult(_last);

    private async Task<RebalanceOutcome> Run(string trigger)
    {
        var allocation = await GrainFactory.GetGrain<IPortfolioGrain>(0).GetAllocation();
        var entry = GrainFactory.GetGrain<IOrderEntryGrain>(0);
        var now = time.GetUtcNow();
        var marketTime = allocation.MarketTime ?? now;
        var orders = new List<RebalanceOrder>();
        foreach (var row in allocation.Rows.Where(r => r.OutsideBand && r.RebalanceQuantity != 0))
        {
            var intent = new OrderIntent(
                $"{row.Symbol}-rebalance-{marketTime.ToUnixTimeMilliseconds()}",
                row.Symbol,
                row.RebalanceQuantity > 0 ? OrderSide.Buy : OrderSide.Sell,
                Math.Abs(row.RebalanceQuantity),
                row.Price,
                string.Create(CultureInfo.InvariantCulture, $"rebalance ({trigger}): weight {row.CurrentWeight:P2} drifted {row.Drift:+0.##%;-0.##%} from target {row.TargetWeight:P2} (band {allocation.Band:P2})"),
                marketTime,
                now);
            var (decision, order, _) = await entry.SubmitOrder(intent);
            orders.Add(new RebalanceOrder(row.Symbol, intent.Quantity, decision.Approved, decision.Explanation, order?.OrderId, order?.FilledQuantity ?? 0));
        }

        _last = new RebalanceOutcome(trigger, now, allocation, orders);
        logger.LogInformation("Rebalance ({Trigger}): {Orders} orders for {Drifted} drifted symbols", trigger, orders.Count(o => o.Approved), orders.Count);
        return _last;
    }
}
