namespace TradingOrleans.Tests.Support;

/// <summary>
/// Tests that read from <c>/metrics</c> a value another test's host could be reporting at the same moment. OpenTelemetry
/// subscribes to a meter by its name, not by the <see cref="System.Diagnostics.Metrics.IMeterFactory"/> that made it, so
/// every host in the test process exports every host's <c>TradingOrleans</c> instruments: an observable gauge shows
/// whichever host reported last, a counter their sum. These tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide metrics";
}
