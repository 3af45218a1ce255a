namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>A named tunable of a strategy type, with its default and allowed range.</summary>
[GenerateSerializer, Immutable]
public sealed record StrategyParameter(
    [property: Id(0)] string Name,
    [property: Id(1)] double Default,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] bool IsInteger,
    [property: Id(5)] string Description)
{
    /// <summary>The JSON type a value must have: <c>integer</c> or <c>number</c>.</summary>
    public string Type => IsInteger ? "integer" : "number";

    /// <summary>A whole-number parameter (bar counts, periods).</summary>
    public static StrategyParameter Whole(string name, int @default, int min, int max, string description) =>
        new(name, @default, min, max, true, description);

    /// <summary>A real-valued parameter (thresholds, multipliers).</summary>
    public static StrategyParameter Number(string name, double @default, double min, double max, string description) =>
        new(name, @default, min, max, false, description);
}
