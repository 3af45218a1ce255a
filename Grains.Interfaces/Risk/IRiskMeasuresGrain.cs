namespace TradingOrleans.Grains.Interfaces.Risk;

/// <summary>
/// The portfolio's exposures and VaR/ES three ways (key 0): computed off the order path, on a stateless worker beside
/// the caller, and reused for a moment, so a dashboard polling <c>GET /risk</c> costs the RiskGrain nothing.
/// </summary>
public interface IRiskMeasuresGrain : IGrainWithIntegerKey
{
    /// <summary>The measures with <paramref name="pending"/> (approved orders not yet final, signed) counted as held; at most a second old.</summary>
    Task<PortfolioRiskMeasures> Measure(IReadOnlyDictionary<string, PendingQuantity> pending);
}
