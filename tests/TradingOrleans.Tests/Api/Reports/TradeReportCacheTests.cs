using TradingOrleans.Client.Api.Reports;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Tests.Api.Reports;

/// <summary>The trade report reads the audit trail at most once a second for the window last asked for (issue #25, reads).</summary>
public sealed class TradeReportCacheTests
{
    private static readonly DateTimeOffset At = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_report_asked_again_within_the_second_is_the_same_and_the_trail_is_read_once()
    {
        var (time, trail) = (new ManualTime(), new OrderTrail());
        var cache = new TradeReportCache(time);
        trail.Orders.Add(Order("BTCUSDT-1"));

        var first = await cache.Rows(trail, null, null);
        trail.Orders.Add(Order("BTCUSDT-2"));
        time.Now += TimeSpan.FromMilliseconds(999);
        var again = await cache.Rows(trail, null, null);

        Assert.Same(first, again);
        Assert.Equal(1, trail.Reads);

        // Another window is read at once, and becomes the one kept.
        Assert.Equal(["BTCUSDT-1", "BTCUSDT-2"], (await cache.Rows(trail, At, null)).Select(r => r.OrderId));
        Assert.Equal(2, trail.Reads);

        // A second on, the trail is read again, oldest order first.
        time.Now += TradeReportCache.FreshFor;
        Assert.Equal(["BTCUSDT-1", "BTCUSDT-2"], (await cache.Rows(trail, null, null)).Select(r => r.OrderId));
        Assert.Equal(3, trail.Reads);
    }

    private static AuditEvent Order(string orderId) => AuditEvents.Order(
        new ParentOrder(orderId, "BTCUSDT", OrderSide.Buy, 0.5m, OrderStatus.Rejected, 0, 0, 0, [], [], "test", "refused", At, At, null),
        At, AuditActor.System);

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = At;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A trail of order events, newest first as the file trail answers, counting its reads.</summary>
    private sealed class OrderTrail : IAuditReader
    {
        public List<AuditEvent> Orders { get; } = [];

        public int Reads { get; private set; }

        public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<AuditEvent>>([.. Enumerable.Reverse(Orders)]);
        }
    }
}
