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

/// <summary>Reads the audit trail back.</summary>
public interface IAuditReader
{
    /// <summary>The events that match <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The events of <paramref name="type"/> written after <paramref name="position"/> (the <see cref="AuditChanges.Position"/>
    /// of an earlier answer), oldest first; with no position, or one whose events since are no longer all at hand, every
    /// event of that type the trail holds (<see cref="AuditChanges.Whole"/>): a reader keeping a view of the trail
    /// then starts it again.
    /// </summary>
    Task<AuditChanges> ChangesAsync(string type, long? position, CancellationToken cancellationToken);
}

/// <summary>Events read by <see cref="IAuditReader.ChangesAsync"/>, oldest first, and the position to ask from next.</summary>
/// <param name="Whole">The events are the whole trail's, not those since the position asked from.</param>
public sealed record AuditChanges(IReadOnlyList<AuditEvent> Events, long Position, bool Whole);

/// <summary>Filters of an audit query; null means any.</summary>
public sealed record AuditQuery(string? Type, string? Symbol, DateTimeOffset? From, DateTimeOffset? To, int Limit);
