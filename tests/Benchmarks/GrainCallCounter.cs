using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// Every grain call the silo receives after the warm-up, counted by interface and method (an incoming call filter), so
/// a run can say how many calls each order costs and which ones.
/// </summary>
/// <remarks>Opt-in (<c>--count-calls</c>): the filter adds a dictionary lookup and an await to every call.</remarks>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Interface, string Method), StrongBox<long>> _calls = new();

    // Nothing is counted until the warm-up's end is known (the filter is installed before the silo starts).
    private long _fromTicks = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>Counts the calls received from <paramref name="from"/> on.</summary>
    public void CountFrom(DateTimeOffset from) => Interlocked.Exchange(ref _fromTicks, from.UtcTicks);

    /// <summary>Stops counting: the load is over, and the harness's own queries after it are not the pipeline's calls.</summary>
    public void Stop() => Interlocked.Exchange(ref _fromTicks, DateTimeOffset.MaxValue.UtcTicks);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (DateTimeOffset.UtcNow.UtcTicks >= Interlocked.Read(ref _fromTicks))
        {
            var counter = _calls.GetOrAdd((context.InterfaceName, context.MethodName), _ => new StrongBox<long>());
            Interlocked.Increment(ref counter.Value);
        }

        await context.Invoke();
    }

    /// <summary>Calls per order by <c>Interface.Method</c>, most frequent first, with the total under <c>all</c>.</summary>
    public IReadOnlyDictionary<string, double> PerOrder(int orders)
    {
        var perOrder = _calls.Select(c => (Name: $"{ShortName(c.Key.Interface)}.{c.Key.Method}", PerOrder: orders == 0 ? double.NaN : (double)c.Value.Value / orders))
            .OrderByDescending(c => c.PerOrder).ThenBy(c => c.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, double> { ["all"] = orders == 0 ? double.NaN : (double)_calls.Values.Sum(c => c.Value) / orders };
        foreach (var (name, value) in perOrder)
        {
            result[name] = Math.Round(value, 3);
        }

        return result;
    }

    private static string ShortName(string interfaceName) => interfaceName[(interfaceName.LastIndexOf('.') + 1)..];
}
