namespace TradingOrleans.Grains.Ml;

/// <summary>
/// The DQN's simulated market: bar by bar over a period of real candles. The state is the bar's scaled features
/// plus the current position; the actions are sell (one step down), hold, buy (one step up) within positions
/// −1 (short), 0 (flat) and +1 (long); the reward is the position held over the next bar times that bar's log
/// return, minus the fee on every position change — PnL net of fees — multiplied by <c>rewardScale</c> so rewards
/// are near 1 for the network.
/// </summary>
public sealed class TradingEnvironment
{
    public const int Actions = 3;
    public const int Sell = 0;
    public const int Hold = 1;
    public const int Buy = 2;

    private readonly CandleSeries _series;
    private readonly double[][] _scaled;
    private readonly int _first;
    private readonly int _last;
    private readonly double _fee;
    private readonly double _rewardScale;
    private int _t;

    /// <param name="from">First bar the agent may act on (features must be ready there).</param>
    /// <param name="to">End of the period (exclusive): the last action is taken on bar to − 2, rewarded by bar to − 1.</param>
    public TradingEnvironment(CandleSeries series, FeatureScaler scaler, int from, int to, double feeBps, double rewardScale)
    {
        _series = series;
        _first = Math.Max(from, series.FirstReady);
        _last = Math.Min(to, series.Count) - 2;
        if (_last <= _first)
        {
            throw new ArgumentException("The period has no bar to trade.");
        }

        _scaled = new double[_last - _first + 1][];
        for (var t = _first; t <= _last; t++)
        {
            _scaled[t - _first] = scaler.Transform(series.Rows[t]!);
        }

        _fee = feeBps / 10_000;
        _rewardScale = rewardScale;
        Reset();
    }

    public static int StateSize => CandleFeatures.Names.Count + 1;

    public int Position { get; private set; }

    /// <summary>Net log return of the episode so far (unscaled).</summary>
    public double NetReturn { get; private set; }

    public int Trades { get; private set; }

    public int Bar => _t;

    public int Steps => _last - _first + 1;

    public double[] Reset()
    {
        (_t, Position, NetReturn, Trades) = (_first, 0, 0, 0);
        return State();
    }

    /// <summary>The position an action leads to from <paramref name="position"/>.</summary>
    public static int Next(int position, int action) => Math.Clamp(position + action - 1, -1, 1);

    public (double[] State, double Reward, bool Done) Step(int action)
    {
        var position = Next(Position, action);
        var pnl = position * _series.Return(_t + 1) - _fee * Math.Abs(position - Position);
        Trades += position != Position ? 1 : 0;
        NetReturn += pnl;
        Position = position;
        _t++;
        var done = _t > _last;
        return (done ? State(_last) : State(), pnl * _rewardScale, done);
    }

    /// <summary>Scaled features of the current bar and the position.</summary>
    public double[] State() => State(_t);

    private double[] State(int t)
    {
        var features = _scaled[t - _first];
        var state = new double[features.Length + 1];
        features.CopyTo(state, 0);
        state[^1] = Position;
        return state;
    }
}
