namespace TradingOrleans.Grains.Observability;

/// <summary>Where audit events go. <see cref="Write"/> never blocks the trading path: sinks queue and write in the background.</summary>
public interface IAuditSink
{
    void Write(AuditEvent auditEvent);

    /// <summary>
    /// Queues an event the sink builds later, off the caller's thread: an order's or a decision's summary and JSON cost
    /// microseconds the single risk grain and the order path need not spend. What <paramref name="build"/> reads must
    /// not change afterwards (the trading records are immutable). A sink without a writer of its own builds at once.
    /// </summary>
    void Write(Func<AuditEvent> build) => Write(build());
}

/// <summary>Reads the audit trail back, newest first.</summary>
public interface IAuditReader
{
    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Filters of an audit query; null means any.</summary>
public sealed record AuditQuery(string? Type, string? Symbol, DateTimeOffset? From, DateTimeOffset? To, int Limit);
