namespace TradingOrleans.Grains.Quant;

/// <summary>
/// Kelly position sizing: for a bet won with probability p that pays b per unit risked and loses the stake
/// otherwise, the growth-optimal fraction of capital is f* = p − (1 − p) / b. Trading uses a fraction λ of it
/// (half-Kelly is common: the estimates of p and b are noisy), capped, and never negative (no edge, no bet).
/// </summary>
public static class KellySizing
{
    public static double FullKelly(double winProbability, double payoffRatio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(winProbability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(winProbability, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(payoffRatio, 0.0);
        return winProbability - (1 - winProbability) / payoffRatio;
    }

    /// <summary>λ·f*, clipped to [0, <paramref name="cap"/>].</summary>
    public static double Fractional(double winProbability, double payoffRatio, double fraction, double cap) =>
        Math.Clamp(fraction * FullKelly(winProbability, payoffRatio), 0, cap);
}
