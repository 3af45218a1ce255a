using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// At silo start (<c>Testnet</c>, <c>Live</c>): activates the account grain, whose activation reads the account and funds
/// or reconciles the portfolio off the start-up path, then every <c>Trading:Account:ReconcileInterval</c>.
/// </summary>
public sealed class AccountStarter(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AccountStarter), ServiceLifecycleStage.Active, _ => grains.GetGrain<IAccountGrain>(0).Start());
}
