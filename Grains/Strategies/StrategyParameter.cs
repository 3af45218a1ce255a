namespace TradingOrleans.Grains.Strategies;

/// <summary>A named tunable of a strategy type, with its default and allowed range.</summary>
public sealed record StrategyParameter(string Name, double Default, double Min, double Max, bool IsInteger, string Description)
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
