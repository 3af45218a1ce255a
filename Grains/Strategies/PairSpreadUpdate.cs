using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Strategies;

/// <summary>The pair model after one aligned bar.</summary>
/// <param name="HedgeRatio">Units of ln B held against one unit of ln A in the spread.</param>
/// <param name="Spread">ln A − β ln B − α for the latest bar.</param>
/// <param name="ZScore">The spread in standard deviations from its mean.</param>
/// <param name="SpreadPosition">Long = long A / short B; Short = short A / long B.</param>
/// <param name="Strength">Conviction in [0, 1] for the legs' signals; 0 when flat.</param>
/// <param name="Reason">Why the model holds this position, for the signals and the audit trail.</param>
/// <param name="Cointegration">The latest cointegration test, for models that test (null otherwise).</param>
public sealed record PairSpreadUpdate(
    double HedgeRatio,
    double Intercept,
    double Spread,
    double ZScore,
    SignalDirection SpreadPosition,
    double Strength,
    string Reason,
    PairCointegration? Cointegration = null);
