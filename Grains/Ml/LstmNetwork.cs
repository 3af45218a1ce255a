using System.Numerics.Tensors;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A stacked LSTM with a linear head on the last hidden state, trained by backpropagation through time.
/// </summary>
/// <remarks>
/// Per layer and step: z = W·[x; h₋₁] + b, split into gates i = σ(z₁), f = σ(z₂), g = tanh(z₃), o = σ(z₄);
/// c = f ⊙ c₋₁ + i ⊙ g; h = o ⊙ tanh(c). The head is y = W_y·h_T + b_y. The loss is half the mean squared error
/// over the outputs. All parameters live in one flat array (per layer W row-major then b, then W_y, b_y) so the
/// optimiser, the gradient check and model files see one vector.
/// </remarks>
public sealed class LstmNetwork
{
    private readonly int[] _layerOffsets;
    private readonly int _headOffset;
    private InferenceBuffers? _inference;

    public LstmNetwork(int inputs, int hidden, int layers, int outputs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        (Inputs, Hidden, Layers, Outputs) = (inputs, hidden, layers, outputs);
        _layerOffsets = new int[layers];
        var offset = 0;
        for (var l = 0; l < layers; l++)
        {
            _layerOffsets[l] = offset;
            offset += 4 * hidden * (LayerInputs(l) + hidden) + 4 * hidden;
        }

        _headOffset = offset;
        Parameters = new double[offset + outputs * hidden + outputs];

        // Uniform(−1/√H, 1/√H) weights; forget-gate biases at 1 so early training keeps memory.
        var random = new Random(seed);
        var scale = 1 / Math.Sqrt(hidden);
        for (var p = 0; p < Parameters.Length; p++)
        {
            Parameters[p] = (2 * random.NextDouble() - 1) * scale;
        }

        for (var l = 0; l < layers; l++)
        {
            var bias = _layerOffsets[l] + 4 * hidden * (LayerInputs(l) + hidden);
            for (var j = hidden; j < 2 * hidden; j++)
            {
                Parameters[bias + j] = 1;
            }
        }
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public int Layers { get; }

    public int Outputs { get; }

    /// <summary>Every weight and bias, in the layout described on the class.</summary>
    public double[] Parameters { get; }

    /// <summary>
    /// The head's outputs for a sequence (oldest step first, each of <see cref="Inputs"/> values). Inference keeps
    /// only each layer's current h and c in buffers reused between calls (the per-step caches are for training),
    /// so one network must not predict on two threads at once — a strategy owns its network.
    /// </summary>
    public double[] Predict(IReadOnlyList<double[]> sequence)
    {
        _inference ??= new InferenceBuffers(this);
        var (h, c, concat) = (_inference.Hidden, _inference.Cell, _inference.Concat);
        for (var l = 0; l < Layers; l++)
        {
            Array.Clear(h[l]);
            Array.Clear(c[l]);
        }

        for (var t = 0; t < sequence.Count; t++)
        {
            var x = sequence[t];
            for (var l = 0; l < Layers; l++)
            {
                var inputs = LayerInputs(l);
                var width = inputs + Hidden;
                var weights = _layerOffsets[l];
                var bias = weights + 4 * Hidden * width;
                var (layerInput, hidden, cell) = (concat[l], h[l], c[l]);
                Array.Copy(x, layerInput, inputs);
                Array.Copy(hidden, 0, layerInput, inputs, Hidden);
                for (var j = 0; j < Hidden; j++)
                {
                    var i = Sigmoid(Gate(weights, bias, width, j, layerInput));
                    var f = Sigmoid(Gate(weights, bias, width, Hidden + j, layerInput));
                    var g = Math.Tanh(Gate(weights, bias, width, 2 * Hidden + j, layerInput));
                    var o = Sigmoid(Gate(weights, bias, width, 3 * Hidden + j, layerInput));
                    cell[j] = f * cell[j] + i * g;
                    hidden[j] = o * Math.Tanh(cell[j]);
                }

                x = hidden;
            }
        }

        return Head(h[Layers - 1]);
    }

    /// <summary>Half the mean squared error against <paramref name="target"/>; adds its gradient to <paramref name="gradient"/>.</summary>
    public double LossAndGradient(IReadOnlyList<double[]> sequence, IReadOnlyList<double> target, double[] gradient)
    {
        var pass = Forward(sequence);
        var dy = new double[Outputs];
        var loss = 0.0;
        for (var k = 0; k < Outputs; k++)
        {
            var error = pass.Output[k] - target[k];
            loss += 0.5 * error * error / Outputs;
            dy[k] = error / Outputs;
        }

        Backward(pass, dy, gradient);
        return loss;
    }

    private int LayerInputs(int layer) => layer == 0 ? Inputs : Hidden;

    private sealed record Step(double[] Concat, double[] I, double[] F, double[] G, double[] O, double[] CellPrevious, double[] TanhCell);

    private sealed record Pass(Step[][] Steps, double[] LastHidden, double[] Output);

    private Pass Forward(IReadOnlyList<double[]> sequence)
    {
        var steps = new Step[Layers][];
        IReadOnlyList<double[]> input = sequence;
        double[] last = [];
        for (var l = 0; l < Layers; l++)
        {
            var width = LayerInputs(l) + Hidden;
            var weights = _layerOffsets[l];
            var bias = weights + 4 * Hidden * width;
            var h = new double[Hidden];
            var c = new double[Hidden];
            var outputs = new double[sequence.Count][];
            steps[l] = new Step[sequence.Count];
            for (var t = 0; t < sequence.Count; t++)
            {
                var concat = new double[width];
                Array.Copy(input[t], concat, LayerInputs(l));
                Array.Copy(h, 0, concat, LayerInputs(l), Hidden);
                var (i, f, g, o) = (new double[Hidden], new double[Hidden], new double[Hidden], new double[Hidden]);
                var cellPrevious = c;
                c = new double[Hidden];
                var tanhCell = new double[Hidden];
                h = new double[Hidden];
                for (var j = 0; j < Hidden; j++)
                {
                    i[j] = Sigmoid(Gate(weights, bias, width, j, concat));
                    f[j] = Sigmoid(Gate(weights, bias, width, Hidden + j, concat));
                    g[j] = Math.Tanh(Gate(weights, bias, width, 2 * Hidden + j, concat));
                    o[j] = Sigmoid(Gate(weights, bias, width, 3 * Hidden + j, concat));
                    c[j] = f[j] * cellPrevious[j] + i[j] * g[j];
                    tanhCell[j] = Math.Tanh(c[j]);
                    h[j] = o[j] * tanhCell[j];
                }

                steps[l][t] = new Step(concat, i, f, g, o, cellPrevious, tanhCell);
                outputs[t] = h;
            }

            input = outputs;
            last = h;
        }

        return new Pass(steps, last, Head(last));
    }

    /// <summary>y = W_y·h + b_y.</summary>
    private double[] Head(double[] last)
    {
        var y = new double[Outputs];
        for (var k = 0; k < Outputs; k++)
        {
            var sum = Parameters[_headOffset + Outputs * Hidden + k];
            for (var j = 0; j < Hidden; j++)
            {
                sum += Parameters[_headOffset + k * Hidden + j] * last[j];
            }

            y[k] = sum;
        }

        return y;
    }

    /// <summary>Per-layer state and input buffers for <see cref="Predict"/>.</summary>
    private sealed class InferenceBuffers(LstmNetwork network)
    {
        public double[][] Hidden { get; } = [.. Enumerable.Range(0, network.Layers).Select(_ => new double[network.Hidden])];

        public double[][] Cell { get; } = [.. Enumerable.Range(0, network.Layers).Select(_ => new double[network.Hidden])];

        public double[][] Concat { get; } = [.. Enumerable.Range(0, network.Layers).Select(l => new double[network.LayerInputs(l) + network.Hidden])];
    }

    private void Backward(Pass pass, double[] dy, double[] gradient)
    {
        var count = pass.Steps[0].Length;

        // Head: dW_y = dy ⊗ h_T, db_y = dy, and dh_T = W_yᵀ dy for the top layer's last step.
        var fromAbove = new double[count][];
        for (var t = 0; t < count; t++)
        {
            fromAbove[t] = new double[Hidden];
        }

        for (var k = 0; k < Outputs; k++)
        {
            gradient[_headOffset + Outputs * Hidden + k] += dy[k];
            for (var j = 0; j < Hidden; j++)
            {
                gradient[_headOffset + k * Hidden + j] += dy[k] * pass.LastHidden[j];
                fromAbove[count - 1][j] += Parameters[_headOffset + k * Hidden + j] * dy[k];
            }
        }

        for (var l = Layers - 1; l >= 0; l--)
        {
            var inputs = LayerInputs(l);
            var width = inputs + Hidden;
            var weights = _layerOffsets[l];
            var bias = weights + 4 * Hidden * width;
            var below = new double[count][];
            var dhNext = new double[Hidden];
            var dcNext = new double[Hidden];
            var dz = new double[4 * Hidden];
            for (var t = count - 1; t >= 0; t--)
            {
                var s = pass.Steps[l][t];
                for (var j = 0; j < Hidden; j++)
                {
                    var dh = fromAbove[t][j] + dhNext[j];
                    var dOut = dh * s.TanhCell[j];
                    var dc = dh * s.O[j] * (1 - s.TanhCell[j] * s.TanhCell[j]) + dcNext[j];
                    dz[j] = dc * s.G[j] * s.I[j] * (1 - s.I[j]);
                    dz[Hidden + j] = dc * s.CellPrevious[j] * s.F[j] * (1 - s.F[j]);
                    dz[2 * Hidden + j] = dc * s.I[j] * (1 - s.G[j] * s.G[j]);
                    dz[3 * Hidden + j] = dOut * s.O[j] * (1 - s.O[j]);
                    dcNext[j] = dc * s.F[j];
                }

                var dConcat = new double[width];
                for (var r = 0; r < 4 * Hidden; r++)
                {
                    gradient[bias + r] += dz[r];
                    var row = weights + r * width;
                    for (var col = 0; col < width; col++)
                    {
                        gradient[row + col] += dz[r] * s.Concat[col];
                        dConcat[col] += Parameters[row + col] * dz[r];
                    }
                }

                below[t] = dConcat[..inputs];
                dhNext = dConcat[inputs..];
            }

            fromAbove = below;
        }
    }

    /// <summary>One gate pre-activation: bias + the weight row · [x; h₋₁] (a SIMD dot product).</summary>
    private double Gate(int weights, int bias, int width, int row, double[] concat) =>
        Parameters[bias + row] + TensorPrimitives.Dot(new ReadOnlySpan<double>(Parameters, weights + row * width, width), concat.AsSpan(0, width));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
