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
}
