namespace TradingOrleans.Grains.Observability;

/// <summary>Where audit events go. <see cref="Write"/> never blocks the trading path: sinks queue and write in the background.</summary>
public interface IAuditSink
{
    void Write(AuditEvent auditEvent);
}

/// <summary>Reads the audit trail back, newest first.</summary>
public interface IAuditReader
{
    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Filters of an audit query; null means any.</summary>
public sealed record AuditQuery(string? Type, string? Symbol, DateTimeOffset? From, DateTimeOffset? To, int Limit);
