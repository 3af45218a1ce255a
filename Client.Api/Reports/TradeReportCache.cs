using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Reports;

/// <summary>
/// The trade report's rows, read from the audit trail at most once a second for the window last asked for: the report
/// reads every order the trail holds, so a dashboard polling it would otherwise take, on every request, CPU the order
/// path shares. Callers within that second (or waiting on the same read) get the same rows.
/// </summary>
public sealed class TradeReportCache(TimeProvider time)
{
    /// <summary>How long a report's rows are served before the trail is read again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private (DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset At, Task<IReadOnlyList<TradeReportRow>> Rows)? _last;

    public Task<IReadOnlyList<TradeReportRow>> Rows(IAuditReader audit, DateTimeOffset? from, DateTimeOffset? to)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_last is { } last && last.From == from && last.To == to && now - last.At < FreshFor && !last.Rows.IsFaulted)
            {
                return last.Rows;
            }

            // Not tied to the asking request's cancellation: the callers of the next second share this read.
            var rows = Read(audit, from, to);
            _last = (from, to, now, rows);
            return rows;
        }
    }

    private static async Task<IReadOnlyList<TradeReportRow>> Read(IAuditReader audit, DateTimeOffset? from, DateTimeOffset? to)
    {
        var events = await audit.QueryAsync(new AuditQuery(AuditEventTypes.Order, null, from, to, int.MaxValue), CancellationToken.None);
        // The trail is newest first; a report reads oldest first.
        return TradeReport.Rows(events.Reverse().Select(e => e.Details.Deserialize<ParentOrder>(FileAuditTrail.Json)!));
    }
}
