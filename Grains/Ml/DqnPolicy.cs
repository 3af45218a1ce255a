namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A trained agent walked through bars in order, as the evaluation and the <c>dqn</c> strategy use it: each bar's
/// scaled features plus the position it holds go in, its greedy action moves the position. The position is the
/// agent's own (what it has asked for), not the portfolio's.
/// </summary>
public sealed class DqnPolicy(DqnAgent agent, FeatureScaler scaler, CandleSeries? series = null)
{
    public int Position { get; private set; }

    /// <summary>The last decision's confidence (softmax weight of the chosen action).</summary>
    public double Confidence { get; private set; }

    public int LastAction { get; private set; } = TradingEnvironment.Hold;

    /// <summary>Bars a position is judged over: it is held over the next bar.</summary>
    public const int HorizonBars = 1;

    /// <summary>When a position counts as right, for its calibration.</summary>
    public const string RightMeans = "the next bar's log return has the sign of the position held after the bar (flat is not judged)";

    /// <summary>The call after bar <paramref name="t"/>: the position's sign, with the action's confidence as the score.</summary>
    public DirectionalCall CallAfter(int t) => new(Math.Sign(PositionAfter(t)), Confidence);

    /// <summary>The position after seeing bar <paramref name="t"/> of the series (call with t in increasing order).</summary>
    public int PositionAfter(int t) => Decide(series!.Rows[t] ?? throw new ArgumentException($"Bar {t} has no features yet."));

    /// <summary>The position after seeing a bar's raw features.</summary>
    public int Decide(IReadOnlyList<double> rawFeatures)
    {
        var scaled = scaler.Transform(rawFeatures);
        var state = new double[scaled.Length + 1];
        scaled.CopyTo(state, 0);
        state[^1] = Position;
        var (action, confidence, _) = agent.Act(state);
        (LastAction, Confidence, Position) = (action, confidence, TradingEnvironment.Next(Position, action));
        return Position;
    }
}
