using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>A config's parameter values, with the type's defaults for the ones it leaves out.</summary>
public sealed class StrategyParameters(StrategyConfig config, StrategyDefinition definition)
{
    public double this[string name] =>
        config.Parameters.TryGetValue(name, out var value)
            ? value
            : definition.Parameters.FirstOrDefault(p => p.Name == name)?.Default
                ?? throw new ArgumentException($"{definition.Type} has no parameter '{name}'.", nameof(name));

    /// <summary>An integer parameter (validation has checked it is whole).</summary>
    public int Whole(string name) => (int)this[name];
}
