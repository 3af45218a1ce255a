namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>
/// A strategy a client has configured: which algorithm (<see cref="Type"/>), on which symbols, with which tunables.
/// Single-symbol strategies run once per listed symbol; pair strategies take exactly two symbols (leg A, leg B).
/// </summary>
/// <param name="Id">Client-chosen identifier: letters, digits, '-' and '_'.</param>
/// <param name="Type">Registered algorithm name, e.g. <c>sma-crossover</c>, <c>rsi-mean-reversion</c>, <c>pairs-ols</c>.</param>
/// <param name="Symbols">The instruments it trades.</param>
/// <param name="Parameters">Named tunables of the algorithm; missing ones take the algorithm's defaults.</param>
/// <param name="Weight">Its vote in the signal aggregation, relative to the other strategies on a symbol.</param>
/// <param name="Enabled">A disabled strategy keeps its config but emits no signals.</param>
[GenerateSerializer, Immutable]
public sealed record StrategyConfig(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] IReadOnlyList<string> Symbols,
    [property: Id(3)] IReadOnlyDictionary<string, double> Parameters,
    [property: Id(4)] double Weight = 1.0,
    [property: Id(5)] bool Enabled = true)
{
    /// <summary>The PairGrain key of a pair strategy (<c>A|B</c>).</summary>
    public static string PairKey(string legA, string legB) => $"{legA}|{legB}";

    /// <summary>Value equality over every setting (record equality compares the collections by reference).</summary>
    public bool HasSameSettings(StrategyConfig other) =>
        Id == other.Id
        && Type == other.Type
        && Weight.Equals(other.Weight)
        && Enabled == other.Enabled
        && Symbols.SequenceEqual(other.Symbols)
        && Parameters.Count == other.Parameters.Count
        && Parameters.All(p => other.Parameters.TryGetValue(p.Key, out var value) && value.Equals(p.Value));
}
