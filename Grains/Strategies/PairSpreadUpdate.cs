using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Strategies;

/// <summary>The pair model after one aligned bar.</summary>
/// <param name="HedgeRatio">β of ln A on ln B over the window: units of B's log-return per unit of A's.</param>
/// <param name="Spread">ln A − β ln B − α for the latest bar.</param>
/// <param name="ZScore">The spread in standard errors of the regression.</param>
/// <param name="SpreadPosition">Long = long A / short B; Short = short A / long B.</param>
public sealed record PairSpreadUpdate(double HedgeRatio, double Intercept, double Spread, double ZScore, SignalDirection SpreadPosition);
