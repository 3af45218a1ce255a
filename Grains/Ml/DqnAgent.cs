namespace TradingOrleans.Grains.Ml;

/// <summary>Hyper-parameters of the DQN (saved with every model).</summary>
/// <param name="EpsilonDecaySteps">Steps over which exploration falls linearly from <paramref name="EpsilonStart"/> to <paramref name="EpsilonEnd"/>.</param>
/// <param name="TargetSyncSteps">Steps between copies of the online network into the target network.</param>
/// <param name="TrainEvery">Environment steps per mini-batch update.</param>
/// <param name="WarmupSteps">Steps of pure experience collection before the first update.</param>
/// <param name="RewardScale">Rewards (log-return PnL) are multiplied by this so they are near 1.</param>
public sealed record DqnOptions(
    int Hidden = 32,
    int HiddenLayers = 2,
    double Gamma = 0.9,
    double LearningRate = 5e-4,
    int BatchSize = 32,
    int ReplayCapacity = 50_000,
    int TargetSyncSteps = 1_000,
    double EpsilonStart = 1.0,
    double EpsilonEnd = 0.05,
    int EpsilonDecaySteps = 40_000,
    int TrainEvery = 4,
    int WarmupSteps = 1_000,
    double RewardScale = 100,
    int Seed = 7)
{
    /// <summary>The options as a model file records them.</summary>
    public Dictionary<string, double> ToHyperParameters() => new()
    {
        ["hidden"] = Hidden, ["hiddenLayers"] = HiddenLayers, ["gamma"] = Gamma, ["learningRate"] = LearningRate, ["batchSize"] = BatchSize,
        ["replayCapacity"] = ReplayCapacity, ["targetSyncSteps"] = TargetSyncSteps, ["epsilonEnd"] = EpsilonEnd,
        ["epsilonDecaySteps"] = EpsilonDecaySteps, ["seed"] = Seed,
    };

    /// <summary>The network's shape from a model file: what restoring its parameters needs.</summary>
    public static DqnOptions FromHyperParameters(IReadOnlyDictionary<string, double> h) =>
        new(Hidden: (int)h["hidden"], HiddenLayers: (int)h["hiddenLayers"], Seed: (int)h["seed"]);
}

/// <summary>One training episode: total scaled reward, net log return and position changes, exploration at its end, and mean TD loss.</summary>
public sealed record EpisodeReport(int Episode, double Reward, double NetReturn, int Trades, double Epsilon, double Loss, double ValidationReturn, bool Improved);

/// <summary>
/// Deep Q-learning (Mnih et al. 2015) with the double-DQN target (van Hasselt et al. 2016): ε-greedy acting with a
/// linear schedule, experience replay, a target network synced every <see cref="DqnOptions.TargetSyncSteps"/>,
/// Huber loss and Adam. After each episode the greedy policy is run on a held-out validation period and the best
/// episode's parameters are kept.
/// </summary>
public sealed class DqnAgent
{
    private DqnAgent(DenseNetwork online, DqnOptions options)
    {
        Online = online;
        Options = options;
    }

    public DenseNetwork Online { get; }

    public DqnOptions Options { get; }

    public static DqnAgent Create(DqnOptions options) =>
        new(new DenseNetwork(Sizes(options), options.Seed), options);

    /// <summary>An agent from saved parameters.</summary>
    public static DqnAgent Restore(DqnOptions options, IReadOnlyList<double> parameters)
    {
        var network = new DenseNetwork(Sizes(options), options.Seed);
        if (parameters.Count != network.Parameters.Length)
        {
            throw new InvalidDataException($"The model has {parameters.Count} parameters; this shape needs {network.Parameters.Length}.");
        }

        for (var p = 0; p < parameters.Count; p++)
        {
            network.Parameters[p] = parameters[p];
        }

        return new DqnAgent(network, options);
    }

    /// <summary>
    /// The greedy action for a state, its Q-values, and a confidence: the softmax weight of the chosen action's
    /// Q-value among the three (1/3 when the agent is indifferent).
    /// </summary>
    public (int Action, double Confidence, double[] Q) Act(ReadOnlySpan<double> state)
    {
        var q = Online.Predict(state);
        var best = ArgMax(q);
        var total = q.Sum(v => Math.Exp(v - q[best]));
        return (best, 1 / total, q);
    }

    public IReadOnlyList<EpisodeReport> Train(TradingEnvironment training, TradingEnvironment validation, int episodes, Action<EpisodeReport>? progress = null)
    {
        var options = Options;
        var target = new DenseNetwork(Sizes(options), options.Seed);
        target.CopyFrom(Online);
        var replay = new ReplayBuffer(options.ReplayCapacity, options.Seed);
        var optimizer = new AdamOptimizer(Online.Parameters.Length, options.LearningRate);
        var gradient = new double[Online.Parameters.Length];
        var random = new Random(options.Seed);
        var best = (double[])Online.Parameters.Clone();
        var bestReturn = double.NegativeInfinity;
        var history = new List<EpisodeReport>();
        long step = 0;
        for (var episode = 1; episode <= episodes; episode++)
        {
            var state = training.Reset();
            double reward = 0, loss = 0;
            var updates = 0;
            var epsilon = options.EpsilonStart;
            var done = false;
            while (!done)
            {
                epsilon = Math.Max(options.EpsilonEnd, options.EpsilonStart - (options.EpsilonStart - options.EpsilonEnd) * step / options.EpsilonDecaySteps);
                var action = random.NextDouble() < epsilon ? random.Next(TradingEnvironment.Actions) : ArgMax(Online.Predict(state));
                var (next, r, finished) = training.Step(action);
                replay.Add(new Transition(state, action, r, next, finished));
                (state, done) = (next, finished);
                reward += r;
                step++;

                if (step >= options.WarmupSteps && step % options.TrainEvery == 0)
                {
                    loss += Update(replay, target, optimizer, gradient);
                    updates++;
                }

                if (step % options.TargetSyncSteps == 0)
                {
                    target.CopyFrom(Online);
                }
            }

            var validationReturn = Run(validation).NetReturn;
            var improved = validationReturn > bestReturn;
            if (improved)
            {
                bestReturn = validationReturn;
                Array.Copy(Online.Parameters, best, best.Length);
            }

            var report = new EpisodeReport(episode, reward, training.NetReturn, training.Trades, epsilon, updates == 0 ? 0 : loss / updates, validationReturn, improved);
            history.Add(report);
            progress?.Invoke(report);
        }

        Array.Copy(best, Online.Parameters, best.Length);
        return history;
    }

    /// <summary>Runs the greedy policy through an environment; returns it at its end (net return, trades).</summary>
    public TradingEnvironment Run(TradingEnvironment environment)
    {
        var state = environment.Reset();
        var done = false;
        while (!done)
        {
            (state, _, done) = environment.Step(Act(state).Action);
        }

        return environment;
    }

    /// <summary>One mini-batch: double-DQN targets r + γ·Q_target(s′, argmax Q_online(s′)), Huber loss, one Adam step.</summary>
    private double Update(ReplayBuffer replay, DenseNetwork target, AdamOptimizer optimizer, double[] gradient)
    {
        Array.Clear(gradient);
        var loss = 0.0;
        var batch = replay.Sample(Options.BatchSize);
        foreach (var t in batch)
        {
            var goal = t.Reward;
            if (!t.Done)
            {
                var nextAction = ArgMax(Online.Predict(t.NextState));
                goal += Options.Gamma * target.Predict(t.NextState)[nextAction];
            }

            loss += Online.AccumulateGradient(t.State, t.Action, goal, gradient);
        }

        for (var p = 0; p < gradient.Length; p++)
        {
            gradient[p] /= batch.Length;
        }

        optimizer.Step(Online.Parameters, gradient);
        return loss / batch.Length;
    }

    private static int[] Sizes(DqnOptions options) =>
        [TradingEnvironment.StateSize, .. Enumerable.Repeat(options.Hidden, options.HiddenLayers), TradingEnvironment.Actions];

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
