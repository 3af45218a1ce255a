namespace TradingOrleans.Grains.Strategies;

/// <summary>A named tunable of a strategy type, with its default and allowed range.</summary>
public sealed record StrategyParameter(string Name, double Default, double Min, double Max, bool IsInteger, string Description);
