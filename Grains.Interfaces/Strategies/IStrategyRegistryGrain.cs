namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>The single store of strategy configs (key 0); pushes every change to the grains that run them.</summary>
public interface IStrategyRegistryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<StrategyConfig>> List();

    Task<StrategyConfig?> Get(string id);

    /// <summary>The strategy types this build offers, by name: their parameters, defaults and ranges.</summary>
    Task<IReadOnlyList<StrategyDefinition>> GetTypes();

    /// <summary>
    /// Every problem with a config, keyed by its JSON field path (<c>id</c>, <c>symbols[1]</c>, <c>parameters.fast</c>):
    /// the type's rules, symbols quoted in the account's quote asset, a trained model per symbol for a model-served
    /// type. Empty when it can be saved.
    /// </summary>
    Task<IReadOnlyDictionary<string, string[]>> Validate(StrategyConfig config);

    /// <summary>Creates or replaces a config (validated by the caller) and applies it at once.</summary>
    Task Save(StrategyConfig config);

    /// <summary>Returns false when no config has that id.</summary>
    Task<bool> Delete(string id);

    /// <summary>Stores the defaults only if the registry has never been seeded; re-applies every config either way.</summary>
    Task EnsureSeeded(IReadOnlyList<StrategyConfig> defaults);
}
