using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Reports;

/// <summary>
/// The trade report's orders, each at its newest state, kept from the audit trail: read whole once, then only the
/// order events written since, at most once a second. A report is rendered once per refresh for each window and format
/// asked for, so a dashboard polling it costs neither a read of the whole trail nor a serialization per request (CPU the
/// order path shares), and the cost of a refresh grows with what was traded since, not with the trail.
/// </summary>
/// <remarks>
/// Holds every order the trail held when it was read whole, and every order since: the trail's retention bounds it
/// again each time the trail says its changes are no longer at hand and the index is read whole.
/// </remarks>
public sealed class TradeReportIndex(TimeProvider time, IOptions<JsonOptions> json)
{
    /// <summary>How long the orders are served before the trail is asked for its changes again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<IndexedOrder> _orders = [];
    private long? _position;
    private (DateTimeOffset At, Task<Snapshot> Refresh)? _last;

    /// <summary>
    /// The report of the orders first seen in [<paramref name="from"/>, <paramref name="to"/>), oldest order first, as CSV
    /// or JSON; at most a second old.
    /// </summary>
    public async Task<RenderedReport> Render(IAuditReader audit, DateTimeOffset? from, DateTimeOffset? to, bool csv)
    {
        var snapshot = await Current(audit);
        return snapshot.Rendered.GetOrAdd((from, to, csv), _ => new Lazy<RenderedReport>(() => Render(snapshot, from, to, csv))).Value;
    }

    private Task<Snapshot> Current(IAuditReader audit)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            // One refresh at a time: a request while one runs, or within a second of the last, shares it.
            if (_last is { } last && !last.Refresh.IsFaulted && (!last.Refresh.IsCompleted || now - last.At < FreshFor))
            {
                return last.Refresh;
            }

            // Not tied to the asking request's cancellation: the callers of the next second share this read.
            var refresh = Refresh(audit);
            _last = (now, refresh);
            return refresh;
        }
    }

    private async Task<Snapshot> Refresh(IAuditReader audit)
    {
        var changes = await audit.ChangesAsync(AuditEventTypes.Order, _position, CancellationToken.None);
        if (changes.Whole)
        {
            _orders.Clear();
            _slots.Clear();
        }

        foreach (var change in changes.Events)
        {
            var order = change.Details.Deserialize<ParentOrder>(FileAuditTrail.Json)!;
            if (_slots.TryGetValue(order.OrderId, out var slot))
            {
                _orders[slot] = _orders[slot] with { Order = order };
            }
            else
            {
                _slots[order.OrderId] = _orders.Count;
                _orders.Add(new IndexedOrder(change.At, order));
            }
        }

        _position = changes.Position;
        return new Snapshot([.. _orders]);
    }

    private static IReadOnlyList<TradeReportRow> RowsOf(Snapshot snapshot, DateTimeOffset? from, DateTimeOffset? to) =>
        TradeReport.Rows(snapshot.Orders.Where(o => (from is null || o.FirstSeen >= from) && (to is null || o.FirstSeen < to)).Select(o => o.Order));

    private RenderedReport Render(Snapshot snapshot, DateTimeOffset? from, DateTimeOffset? to, bool csv)
    {
        var rows = RowsOf(snapshot, from, to);
        return csv
            ? new RenderedReport(Encoding.UTF8.GetBytes(TradeReport.Csv(rows)), "text/csv; charset=utf-8")
            : new RenderedReport(JsonSerializer.SerializeToUtf8Bytes(rows, json.Value.SerializerOptions), "application/json; charset=utf-8");
    }

    /// <summary>An order at its newest state, and when the trail first showed it (the report's window applies to this).</summary>
    private sealed record IndexedOrder(DateTimeOffset FirstSeen, ParentOrder Order);

    /// <summary>The orders as one refresh left them, and the reports rendered from them.</summary>
    private sealed record Snapshot(IReadOnlyList<IndexedOrder> Orders)
    {
        public ConcurrentDictionary<(DateTimeOffset? From, DateTimeOffset? To, bool Csv), Lazy<RenderedReport>> Rendered { get; } = new();
    }
}

/// <summary>A report's body, as sent.</summary>
public sealed record RenderedReport(byte[] Body, string ContentType);
