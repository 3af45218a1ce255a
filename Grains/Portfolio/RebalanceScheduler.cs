using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>At silo start: registers (or removes) the rebalance reminder to match the configuration.</summary>
public sealed class RebalanceScheduler(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RebalanceScheduler), ServiceLifecycleStage.Active, _ => grains.GetGrain<IRebalancerGrain>(0).Schedule());
}
