using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Reports;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Tests.Api.Reports;

/// <summary>
/// The trade report keeps each order at its newest state from the audit trail: read whole once, then only the changes,
/// at most once a second (issue #25, reads).
/// </summary>
public sealed class TradeReportIndexTests
{
    private static readonly DateTimeOffset At = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_trail_is_read_whole_once_then_only_its_changes_at_most_once_a_second_and_an_order_keeps_one_row_at_its_newest_state()
    {
        var (time, trail) = (new ManualTime(), new OrderTrail());
        var json = new JsonOptions();
        json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()); // as the API sets it
        var index = new TradeReportIndex(time, Options.Create(json));
        trail.Write(Order("BTCUSDT-1", OrderStatus.Working, At));

        var first = await index.Render(trail, null, null, csv: false);
        Assert.Equal([(null, true)], trail.Reads);
        Assert.Equal([("BTCUSDT-1", "Working")], Rows(first));

        // Within the second: the same report, rendered once, and no read; another window is rendered from the same orders.
        trail.Write(Order("BTCUSDT-1", OrderStatus.Filled, At.AddSeconds(1)));
        trail.Write(Order("BTCUSDT-2", OrderStatus.Rejected, At.AddSeconds(2)));
        time.Now += TimeSpan.FromMilliseconds(999);
        Assert.Same(first, await index.Render(trail, null, null, csv: false));
        Assert.Empty(Rows(await index.Render(trail, At.AddSeconds(1), null, csv: false)));
        Assert.Single(trail.Reads);

        // A second on: only the events since the last position. The first order's newer state takes its row's place
        // (the window still goes by when the trail first showed it), the second order is added after it.
        time.Now += TradeReportIndex.FreshFor;
        Assert.Equal([("BTCUSDT-1", "Filled"), ("BTCUSDT-2", "Rejected")], Rows(await index.Render(trail, null, null, csv: false)));
        Assert.Equal([(null, true), (1, false)], trail.Reads);
        Assert.Equal([("BTCUSDT-2", "Rejected")], Rows(await index.Render(trail, At.AddSeconds(1), null, csv: false)));
        var csv = await index.Render(trail, null, At.AddSeconds(1), csv: true);
        Assert.Equal("text/csv; charset=utf-8", csv.ContentType);
        Assert.Equal(2, System.Text.Encoding.UTF8.GetString(csv.Body).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // The trail no longer has the changes at hand (retention deleted the oldest events): the orders are read whole
        // again, and those deleted leave the report.
        trail.Retain(keptFrom: 2);
        trail.Write(Order("BTCUSDT-3", OrderStatus.Filled, At.AddSeconds(3)));
        time.Now += TradeReportIndex.FreshFor;
        Assert.Equal([("BTCUSDT-2", "Rejected"), ("BTCUSDT-3", "Filled")], Rows(await index.Render(trail, null, null, csv: false)));
        Assert.Equal((3, true), trail.Reads[^1]);
    }

    private static (string OrderId, string Status)[] Rows(RenderedReport report)
    {
        Assert.Equal("application/json; charset=utf-8", report.ContentType);
        return [.. JsonDocument.Parse(report.Body).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("orderId").GetString()!, r.GetProperty("orderStatus").ToString()))];
    }

    private static AuditEvent Order(string orderId, OrderStatus status, DateTimeOffset at) => AuditEvents.Order(
        new ParentOrder(orderId, "BTCUSDT", OrderSide.Buy, 0.5m, status, 0, 0, 0, [], [], "test", null, at, at, null),
        at, AuditActor.System);

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = At;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// A trail of order events whose position counts the events written and one more for each time it dropped its
    /// oldest (<see cref="Retain"/>, as a rotation past retention does). Records each read: the position asked from and
    /// whether it was answered whole.
    /// </summary>
    private sealed class OrderTrail : IAuditReader
    {
        private readonly List<AuditEvent> _events = [];
        private int _keptFrom;
        private int _drops;
        private long _validFrom;

        public List<(long? From, bool Whole)> Reads { get; } = [];

        private long Position => _events.Count + _drops;

        public void Write(AuditEvent order) => _events.Add(order);

        /// <summary>Keeps the events from <paramref name="keptFrom"/> on; no position given before can be read from.</summary>
        public void Retain(int keptFrom)
        {
            (_keptFrom, _drops) = (keptFrom, _drops + 1);
            _validFrom = Position;
        }

        public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The report reads changes.");

        public Task<AuditChanges> ChangesAsync(string type, long? position, CancellationToken cancellationToken)
        {
            var whole = position is not { } since || since < _validFrom;
            Reads.Add((position, whole));
            var from = whole ? _keptFrom : (int)(position!.Value - _drops);
            return Task.FromResult(new AuditChanges([.. _events.Skip(from)], Position, whole));
        }
    }
}
