namespace TradingOrleans.Grains.Quant;

/// <summary>A loss estimate at one confidence level, in the portfolio's currency, losses positive.</summary>
/// <param name="ValueAtRisk">The loss exceeded with probability 1 − confidence over the horizon.</param>
/// <param name="ExpectedShortfall">The mean loss in the tail beyond <see cref="ValueAtRisk"/> (CVaR).</param>
public sealed record RiskEstimate(double ValueAtRisk, double ExpectedShortfall);
