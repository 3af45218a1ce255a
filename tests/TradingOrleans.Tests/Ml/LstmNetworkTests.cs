using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Tests.Ml;

/// <summary>Backpropagation through time against central finite differences, on every parameter of a small stacked LSTM.</summary>
public sealed class LstmNetworkTests
{
    [Fact]
    public void Analytic_gradient_matches_finite_differences_for_every_parameter()
    {
        var network = new LstmNetwork(inputs: 3, hidden: 4, layers: 2, outputs: 2, seed: 11);
        var random = new Random(3);
        var sequence = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 3).Select(_ => 2 * random.NextDouble() - 1).ToArray()).ToArray();
        double[] target = [0.3, -0.7];

        var analytic = new double[network.Parameters.Length];
        network.LossAndGradient(sequence, target, analytic);

        const double step = 1e-6;
        var scratch = new double[network.Parameters.Length];
        for (var p = 0; p < network.Parameters.Length; p++)
        {
            var original = network.Parameters[p];
            network.Parameters[p] = original + step;
            var plus = network.LossAndGradient(sequence, target, scratch);
            network.Parameters[p] = original - step;
            var minus = network.LossAndGradient(sequence, target, scratch);
            network.Parameters[p] = original;

            var numeric = (plus - minus) / (2 * step);
            var scale = Math.Max(1e-8, Math.Abs(numeric) + Math.Abs(analytic[p]));
            Assert.True(Math.Abs(numeric - analytic[p]) / scale < 1e-5 || Math.Abs(numeric - analytic[p]) < 1e-10,
                $"parameter {p}: analytic {analytic[p]:E6}, numeric {numeric:E6}");
        }
    }

    [Fact]
    public void Parameter_count_follows_the_layout()
    {
        // Layer 0: 4·4·(3 + 4) + 4·4 = 128; layer 1: 4·4·(4 + 4) + 16 = 144; head: 2·4 + 2 = 10.
        Assert.Equal(282, new LstmNetwork(3, 4, 2, 2, seed: 1).Parameters.Length);
    }

    [Fact]
    public void Adam_steps_follow_the_published_update()
    {
        // First step: m̂ = g and v̂ = g², so θ moves by α · g / (|g| + ε) ≈ α · sign(g).
        var adam = new AdamOptimizer(2, learningRate: 0.1);
        double[] theta = [1.0, -2.0];
        adam.Step(theta, [0.5, -3.0]);
        Assert.Equal(0.9, theta[0], 6);
        Assert.Equal(-1.9, theta[1], 6);
    }

    [Fact]
    public void Training_learns_to_sum_a_sequence()
    {
        // Target: the sum of a short sequence's values — needs memory across steps.
        var network = new LstmNetwork(inputs: 1, hidden: 8, layers: 1, outputs: 1, seed: 5);
        var adam = new AdamOptimizer(network.Parameters.Length, learningRate: 0.01);
        var random = new Random(9);
        (double[][] Sequence, double[] Target) Sample()
        {
            var values = Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5).ToArray();
            return ([.. values.Select(v => new[] { v })], [values.Sum()]);
        }

        var validation = Enumerable.Range(0, 50).Select(_ => Sample()).ToArray();
        double ValidationLoss() => validation.Average(v => network.LossAndGradient(v.Sequence, v.Target, new double[network.Parameters.Length]));
        var before = ValidationLoss();
        for (var batch = 0; batch < 300; batch++)
        {
            var gradient = new double[network.Parameters.Length];
            for (var k = 0; k < 16; k++)
            {
                var (sequence, target) = Sample();
                network.LossAndGradient(sequence, target, gradient);
            }

            adam.Step(network.Parameters, [.. gradient.Select(g => g / 16)]);
        }

        Assert.True(ValidationLoss() < before / 10, $"validation loss {before:E3} → {ValidationLoss():E3}");
    }

    [Fact]
    public void Inference_without_the_training_caches_gives_the_training_forward_pass_output()
    {
        var network = new LstmNetwork(inputs: 3, hidden: 5, layers: 2, outputs: 2, seed: 4);
        var random = new Random(9);
        var sequence = Enumerable.Range(0, 7).Select(_ => new[] { random.NextDouble(), random.NextDouble() - 0.5, random.NextDouble() * 2 }).ToArray();

        var predicted = network.Predict(sequence);
        var again = network.Predict(sequence); // buffers reused: the same answer

        // The training pass's loss against the inference output is zero only if both passes agree.
        Assert.Equal(0, network.LossAndGradient(sequence, predicted, new double[network.Parameters.Length]), 15);
        Assert.Equal(predicted, again);
    }
}
