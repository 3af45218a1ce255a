using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// An in-process allocation profile: the runtime's GC AllocationTick event fires about every 100 KB allocated and
/// names the type that crossed the threshold, so counting bytes per type over many ticks estimates who allocates
/// (the same sampling dotnet-trace's gc-verbose profile uses). Counts only after <see cref="Start"/>.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _counting;

    public void Start() => _counting = true;

    /// <summary>The types with the most sampled bytes, with their share of all sampled bytes.</summary>
    public IReadOnlyList<AllocationShare> Top(int count)
    {
        var total = Math.Max(1, _bytesByType.Values.Sum());
        return [.. _bytesByType.OrderByDescending(t => t.Value).Take(count).Select(t => new AllocationShare(t.Key, t.Value / (1024.0 * 1024), (double)t.Value / total))];
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_counting || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
        {
            return;
        }

        var type = e.Payload![e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        var amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload[amountIndex]) : Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount")]);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}

/// <summary>One type's sampled allocation.</summary>
public sealed record AllocationShare(string Type, double SampledMegabytes, double Share);
