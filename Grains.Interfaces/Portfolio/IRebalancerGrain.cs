namespace TradingOrleans.Grains.Interfaces.Portfolio;

/// <summary>
/// The rebalancer (key 0): brings the portfolio back to its target weights when they drift beyond the band, on
/// an Orleans reminder and on demand. Its orders pass risk like any other.
/// </summary>
public interface IRebalancerGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or updates) the reminder; idempotent, called by every silo at start.</summary>
    Task Schedule();

    Task<RebalanceOutcome> Rebalance(string trigger);

    Task<RebalanceOutcome?> GetLastOutcome();
}
