using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>At silo start: seeds the default strategies once, then pushes every stored config to its grains.</summary>
public sealed class StrategySeeder(IGrainFactory grains, IOptions<StrategySeedOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StrategySeeder), ServiceLifecycleStage.Active, Seed);

    private Task Seed(CancellationToken cancellationToken)
    {
        var defaults = options.Value.SeedDefaults ? DefaultStrategies.For(options.Value.SeededSymbols) : [];
        return grains.GetGrain<IStrategyRegistryGrain>(0).EnsureSeeded(defaults);
    }
}
