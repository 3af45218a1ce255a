namespace TradingOrleans.Grains.Quant;

/// <summary>Mean and sample standard deviation of the last N values.</summary>
/// <remarks>
/// Sums are kept of the values' distance from a shift near the mean (a price of 50,000 with a spread of 1 would
/// otherwise lose the variance to cancellation in x²), updated as values enter and leave the window, and
/// recomputed from the window every <see cref="RecomputeEvery"/> updates so rounding never accumulates.
/// </remarks>
public sealed class RollingStatistics
{
    private const int RecomputeEvery = 1_000;
    private readonly double[] _window;
    private int _next;
    private int _updatesSinceRecompute;
    private double _shift = double.NaN;
    private double _sum;
    private double _sumOfSquares;

    public RollingStatistics(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _window = new double[window];
    }

    public int Window => _window.Length;

    public int Count { get; private set; }

    public bool IsReady => Count == _window.Length;

    public double Mean => Count == 0 ? double.NaN : _shift + _sum / Count;

    /// <summary>Sample standard deviation (n − 1 denominator); NaN with fewer than two values.</summary>
    public double StandardDeviation
    {
        get
        {
            if (Count < 2)
            {
                return double.NaN;
            }

            var mean = _sum / Count;
            var variance = (_sumOfSquares - Count * mean * mean) / (Count - 1);
            return Math.Sqrt(Math.Max(variance, 0));
        }
    }

    public void Add(double value)
    {
        if (double.IsNaN(_shift))
        {
            _shift = value;
        }

        if (IsReady)
        {
            var leaving = _window[_next] - _shift;
            _sum -= leaving;
            _sumOfSquares -= leaving * leaving;
        }
        else
        {
            Count++;
        }

        _window[_next] = value;
        _next = (_next + 1) % _window.Length;
        var centred = value - _shift;
        _sum += centred;
        _sumOfSquares += centred * centred;

        if (++_updatesSinceRecompute >= RecomputeEvery)
        {
            Recompute();
        }
    }

    private void Recompute()
    {
        _updatesSinceRecompute = 0;
        _shift = Mean;
        double sum = 0, sumOfSquares = 0;
        for (var i = 0; i < Count; i++)
        {
            var centred = _window[i] - _shift;
            sum += centred;
            sumOfSquares += centred * centred;
        }

        (_sum, _sumOfSquares) = (sum, sumOfSquares);
    }
}
