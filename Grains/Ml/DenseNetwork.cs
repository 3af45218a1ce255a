using System.Numerics.Tensors;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A small fully connected network: ReLU hidden layers, linear outputs, every weight in one flat
/// <see cref="Parameters"/> vector (per layer: W row-major [outputs × inputs], then b) so Adam, the gradient check
/// and model files see one vector. Used as the DQN's Q-network (one output per action).
/// </summary>
public sealed class DenseNetwork
{
    private readonly int[] _sizes;
    private readonly int[] _offsets;
    private readonly double[][] _activations;
    private readonly double[][] _deltas;

    public DenseNetwork(IReadOnlyList<int> sizes, int seed)
    {
        if (sizes.Count < 2 || sizes.Any(s => s < 1))
        {
            throw new ArgumentException("Need at least an input and an output size, all positive.", nameof(sizes));
        }

        _sizes = [.. sizes];
        _offsets = new int[_sizes.Length - 1];
        var count = 0;
        for (var l = 0; l < _offsets.Length; l++)
        {
            _offsets[l] = count;
            count += _sizes[l + 1] * _sizes[l] + _sizes[l + 1];
        }

        Parameters = new double[count];

        // He initialisation for ReLU layers: N(0, 2 / fan-in); small positive biases so no unit starts dead (or
        // exactly on the ReLU's kink).
        var random = new Random(seed);
        for (var l = 0; l < _offsets.Length; l++)
        {
            var scale = Math.Sqrt(2.0 / _sizes[l]);
            var weights = _sizes[l + 1] * _sizes[l];
            for (var p = 0; p < weights; p++)
            {
                var (u1, u2) = (1 - random.NextDouble(), random.NextDouble());
                Parameters[_offsets[l] + p] = scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }

            Array.Fill(Parameters, 0.01, _offsets[l] + weights, _sizes[l + 1]);
        }

        _activations = [.. _sizes.Select(s => new double[s])];
        _deltas = [.. _sizes.Select(s => new double[s])];
    }

    public IReadOnlyList<int> Sizes => _sizes;

    public double[] Parameters { get; }

    public int Outputs => _sizes[^1];

    /// <summary>The outputs for one input (a new array; the network's buffers are reused, so one thread at a time).</summary>
    public double[] Predict(ReadOnlySpan<double> input) => Forward(input).ToArray();

    /// <summary>
    /// Huber loss (δ = 1) of output <paramref name="output"/> against <paramref name="target"/>; adds its gradient to
    /// <paramref name="gradient"/> and returns the loss. Only that output receives error (the DQN update).
    /// </summary>
    public double AccumulateGradient(ReadOnlySpan<double> input, int output, double target, double[] gradient)
    {
        var y = Forward(input);
        var error = y[output] - target;
        var loss = Math.Abs(error) <= 1 ? 0.5 * error * error : Math.Abs(error) - 0.5;
        var last = _sizes.Length - 1;
        Array.Clear(_deltas[last]);
        _deltas[last][output] = Math.Clamp(error, -1, 1);

        for (var l = last - 1; l >= 0; l--)
        {
            var (inputs, outputs, weights) = (_sizes[l], _sizes[l + 1], _offsets[l]);
            var bias = weights + outputs * inputs;
            var below = _deltas[l];
            Array.Clear(below);
            for (var o = 0; o < outputs; o++)
            {
                var delta = _deltas[l + 1][o];
                if (delta == 0)
                {
                    continue;
                }

                gradient[bias + o] += delta;
                var row = weights + o * inputs;
                for (var i = 0; i < inputs; i++)
                {
                    gradient[row + i] += delta * _activations[l][i];
                    below[i] += delta * Parameters[row + i];
                }
            }

            if (l > 0)
            {
                // Through the ReLU of the layer below.
                for (var i = 0; i < inputs; i++)
                {
                    below[i] = _activations[l][i] > 0 ? below[i] : 0;
                }
            }
        }

        return loss;
    }

    /// <summary>Copies another network's parameters (the target network's periodic sync).</summary>
    public void CopyFrom(DenseNetwork other) => Array.Copy(other.Parameters, Parameters, Parameters.Length);

    private ReadOnlySpan<double> Forward(ReadOnlySpan<double> input)
    {
        input.CopyTo(_activations[0]);
        for (var l = 0; l < _offsets.Length; l++)
        {
            var (inputs, outputs, weights) = (_sizes[l], _sizes[l + 1], _offsets[l]);
            var bias = weights + outputs * inputs;
            var hidden = l < _offsets.Length - 1;
            for (var o = 0; o < outputs; o++)
            {
                var z = Parameters[bias + o] + TensorPrimitives.Dot(new ReadOnlySpan<double>(Parameters, weights + o * inputs, inputs), _activations[l]);
                _activations[l + 1][o] = hidden ? Math.Max(0, z) : z;
            }
        }

        return _activations[^1];
    }
}
