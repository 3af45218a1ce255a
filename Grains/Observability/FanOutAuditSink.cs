namespace TradingOrleans.Grains.Observability;

/// <summary>Writes every audit event to several sinks (the local file and, in cluster mode, Kafka).</summary>
public sealed class FanOutAuditSink(IReadOnlyList<IAuditSink> sinks) : IAuditSink
{
    public void Write(AuditEvent auditEvent)
    {
        foreach (var sink in sinks)
        {
            sink.Write(auditEvent);
        }
    }

    public void Write(Func<AuditEvent> build)
    {
        // Built once, by whichever sink gets to it first.
        var once = new Lazy<AuditEvent>(build);
        foreach (var sink in sinks)
        {
            sink.Write(() => once.Value);
        }
    }
}
