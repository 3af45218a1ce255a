namespace TradingOrleans.Grains.Ml;

/// <summary>
/// Adam (Kingma and Ba, 2015): per-parameter steps from bias-corrected running means of the gradient (β₁) and of
/// its square (β₂): θ ← θ − α · m̂ / (√v̂ + ε).
/// </summary>
public sealed class AdamOptimizer(int parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[] _mean = new double[parameters];
    private readonly double[] _squares = new double[parameters];
    private int _steps;

    /// <summary>Moves <paramref name="parameters"/> against <paramref name="gradient"/> (averaged over the batch by the caller).</summary>
    public void Step(double[] parameters, double[] gradient)
    {
        _steps++;
        var meanCorrection = 1 - Math.Pow(beta1, _steps);
        var squareCorrection = 1 - Math.Pow(beta2, _steps);
        for (var p = 0; p < parameters.Length; p++)
        {
            _mean[p] = beta1 * _mean[p] + (1 - beta1) * gradient[p];
            _squares[p] = beta2 * _squares[p] + (1 - beta2) * gradient[p] * gradient[p];
            parameters[p] -= learningRate * (_mean[p] / meanCorrection) / (Math.Sqrt(_squares[p] / squareCorrection) + epsilon);
        }
    }
}
