namespace TradingOrleans.Grains.Interfaces.Strategies;

/// <summary>The single store of strategy configs (key 0); pushes every change to the grains that run them.</summary>
public interface IStrategyRegistryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<StrategyConfig>> List();

    Task<StrategyConfig?> Get(string id);

    /// <summary>Creates or replaces a config (validated by the caller) and applies it at once.</summary>
    Task Save(StrategyConfig config);

    /// <summary>Returns false when no config has that id.</summary>
    Task<bool> Delete(string id);

    /// <summary>Stores the defaults only if the registry has never been seeded; re-applies every config either way.</summary>
    Task EnsureSeeded(IReadOnlyList<StrategyConfig> defaults);
}
