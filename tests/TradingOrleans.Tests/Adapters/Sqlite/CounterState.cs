namespace TradingOrleans.Tests.Adapters.Sqlite;

/// <summary>State of <see cref="CounterGrain"/>.</summary>
[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Count { get; set; }

    [Id(1)] public decimal Total { get; set; }

    [Id(2)] public List<string> History { get; set; } = [];
}
