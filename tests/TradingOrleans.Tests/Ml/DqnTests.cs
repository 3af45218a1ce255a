using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>The DQN's network, replay buffer, environment and agent, and the agent served as the <c>dqn</c> strategy.</summary>
public sealed class DqnTests
{
    private static CandleSeries Path(Func<int, double> close, int bars) => CandleSeries.From([.. Enumerable.Range(0, bars).Select(i =>
    {
        var c = (decimal)close(i);
        return new Candle("X", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * i), c, c * 1.001m, c * 0.999m, c, 1m + i % 3, Bars.Start);
    })]);

    [Fact]
    public void The_q_network_gradient_matches_finite_differences_for_every_parameter()
    {
        var network = new DenseNetwork([4, 5, 3, 3], seed: 2);
        double[] input = [0.3, -1.2, 0.8, 0.05];
        var q = network.Predict(input);
        var target = q[1] + 0.4; // inside the Huber loss's quadratic region
        var analytic = new double[network.Parameters.Length];
        network.AccumulateGradient(input, 1, target, analytic);

        var scratch = new double[network.Parameters.Length];
        for (var p = 0; p < network.Parameters.Length; p++)
        {
            var original = network.Parameters[p];
            network.Parameters[p] = original + 1e-6;
            var plus = network.AccumulateGradient(input, 1, target, scratch);
            network.Parameters[p] = original - 1e-6;
            var minus = network.AccumulateGradient(input, 1, target, scratch);
            network.Parameters[p] = original;
            Assert.True(Math.Abs((plus - minus) / 2e-6 - analytic[p]) < 1e-6, $"parameter {p}: numeric {(plus - minus) / 2e-6}, analytic {analytic[p]}");
        }
    }

    [Fact]
    public void Beyond_the_huber_threshold_the_error_is_clipped_to_one()
    {
        var network = new DenseNetwork([2, 3], seed: 1); // one linear layer: dL/db = clipped error
        var q = network.Predict([0.0, 0.0]);
        var gradient = new double[network.Parameters.Length];

        var loss = network.AccumulateGradient([0.0, 0.0], 0, q[0] + 5, gradient);

        Assert.Equal(4.5, loss, 12); // |e| − ½
        Assert.Equal(-1, gradient[6], 12); // bias of output 0 (after the 3 × 2 weights)
        Assert.Equal(0, gradient[7], 12); // only the chosen output receives error
    }

    [Fact]
    public void The_replay_buffer_wraps_around_and_samples_only_what_it_holds()
    {
        var buffer = new ReplayBuffer(capacity: 3, seed: 5);
        for (var i = 0; i < 5; i++)
        {
            buffer.Add(new Transition([i], 1, i, [i + 1], false));
        }

        Assert.Equal(3, buffer.Count);
        Assert.All(buffer.Sample(200), t => Assert.InRange(t.Reward, 2, 4)); // 0 and 1 were overwritten
        Assert.Equal([2.0, 3.0, 4.0], buffer.Sample(200).Select(t => t.Reward).Distinct().Order());
    }

    [Fact]
    public void The_environment_pays_the_position_times_the_next_return_minus_fees()
    {
        // Closes from bar 30: 100, 102, 101, 101 (features are ready well before).
        double[] closes = [.. Enumerable.Repeat(100.0, 30), 100, 102, 101, 101];
        var series = Path(i => closes[i], closes.Length);
        var scaler = new FeatureScaler(CandleFeatures.Names, [.. CandleFeatures.Names.Select(_ => 0.0)], [.. CandleFeatures.Names.Select(_ => 1.0)]);
        var environment = new TradingEnvironment(series, scaler, 30, closes.Length, feeBps: 10, rewardScale: 100);

        var first = environment.Step(TradingEnvironment.Buy);   // flat → long, over 100 → 102
        var second = environment.Step(TradingEnvironment.Sell); // long → flat, over 102 → 101
        var third = environment.Step(TradingEnvironment.Sell);  // flat → short, over 101 → 101

        Assert.Equal(100 * (Math.Log(1.02) - 0.001), first.Reward, 10);
        Assert.Equal(100 * -0.001, second.Reward, 10);
        Assert.Equal(100 * -0.001, third.Reward, 10);
        Assert.True(third.Done);
        Assert.Equal((3, -1), (environment.Trades, environment.Position));
        Assert.Equal(Math.Log(1.02) - 0.003, environment.NetReturn, 12);
        Assert.Equal(-1, third.State[^1]);
    }

    [Fact]
    public void The_agent_learns_to_trade_a_zigzag_whose_last_move_tells_the_next()
    {
        // 100, 110, 100, 110 …: after an up bar the next is down and vice versa; return_1 in the state says which.
        var series = Path(i => i % 2 == 0 ? 100 : 110, 260);
        var scaler = FeatureScaler.Fit(CandleFeatures.Names, [.. Enumerable.Range(series.FirstReady, 200 - series.FirstReady).Select(t => series.Rows[t]!)]);
        var training = new TradingEnvironment(series, scaler, 0, 200, 10, 10);
        var validation = new TradingEnvironment(series, scaler, 200, 260, 10, 10);
        var agent = DqnAgent.Create(new DqnOptions(Hidden: 16, Gamma: 0.5, LearningRate: 3e-3, TargetSyncSteps: 100, EpsilonDecaySteps: 2_000, TrainEvery: 1, WarmupSteps: 100, Seed: 3));

        var history = agent.Train(training, validation, episodes: 25);

        // The best possible with one step per bar: short over each down bar, flat over each up bar, ≈ ln 1.1 − 2 × fee
        // per two bars. The trained policy earns most of it on unseen bars; a random policy loses.
        var test = agent.Run(new TradingEnvironment(series, scaler, 200, 260, 10, 10));
        var perfect = 29 * (Math.Log(1.1) - 0.002);
        Assert.True(test.NetReturn > 0.5 * perfect, $"net {test.NetReturn:F4} of a possible {perfect:F4}; validation by episode {string.Join(", ", history.Select(h => h.ValidationReturn.ToString("F3")))}");
        var random = ForecastEvaluation.EvaluatePolicy(series, 200, 260, _ => Random.Shared.Next(-1, 2), 10, 1);
        Assert.True(test.NetReturn > random.NetReturn);
    }

    [Fact]
    public void On_real_bars_the_agent_trains_without_diverging_and_pays_its_fees()
    {
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(4_000).ToList();
        var series = CandleSeries.From(bars);
        var scaler = FeatureScaler.Fit(CandleFeatures.Names, [.. Enumerable.Range(series.FirstReady, 3_000 - series.FirstReady).Select(t => series.Rows[t]!)]);
        var agent = DqnAgent.Create(new DqnOptions(WarmupSteps: 500, EpsilonDecaySteps: 3_000));

        var history = agent.Train(new TradingEnvironment(series, scaler, 0, 2_400, 10, 100), new TradingEnvironment(series, scaler, 2_400, 3_000, 10, 100), episodes: 2);

        Assert.All(history, e => Assert.True(double.IsFinite(e.Loss) && double.IsFinite(e.NetReturn)));
        Assert.All(agent.Online.Parameters, p => Assert.True(double.IsFinite(p)));
        var policy = new DqnPolicy(agent, scaler, series);
        var evaluation = ForecastEvaluation.EvaluatePolicy(series, 3_000, 4_000, policy.PositionAfter, 10, 7);
        Assert.Null(evaluation.Mse);
        // Every position change costs 10 bps: the net is at most the gross minus that.
        Assert.True(evaluation.Trades == 0 || evaluation.NetReturn < ForecastEvaluation.EvaluatePolicy(series, 3_000, 4_000, new DqnPolicy(agent, scaler, series).PositionAfter, 0, 7).NetReturn);
    }

    [Fact]
    public void The_training_command_trains_a_dqn_and_the_strategy_serves_the_same_decisions()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"models-{Guid.NewGuid():N}");
        var output = new StringWriter();

        var exit = TrainingCommand.Run(["dqn", "--symbol", "BTCUSDT", "--to", "2021-01-08", "--test-to", "2021-01-10", "--episodes", "2", "--hidden", "8", "--models", folder], output);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("episode   1/2", output.ToString());
        var store = new ModelStore(folder);
        var model = store.Load("dqn", "BTCUSDT")!;
        Assert.Equal(2, model.Episodes!.Count);
        Assert.Null(model.Evaluation!.Mse);

        // The strategy, bar by bar, holds the positions the evaluation's policy took on the same bars.
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(2_000).ToList();
        var series = CandleSeries.From(bars);
        var policy = new DqnPolicy(DqnAgent.Restore(DqnOptions.FromHyperParameters(model.HyperParameters), model.Parameters), model.Scaler, series);
        var strategy = StrategyCatalog.CreateSingleSymbol(new StrategyConfig("dqn-btc", "dqn", ["BTCUSDT"], new Dictionary<string, double>()), "BTCUSDT", store);
        for (var t = 0; t < bars.Count; t++)
        {
            var signal = strategy.OnCandle(bars[t]);
            if (t < series.FirstReady)
            {
                Assert.Null(signal);
                continue;
            }

            var expected = policy.PositionAfter(t);
            Assert.Equal(expected switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat }, signal!.Direction);
        }
    }
}
