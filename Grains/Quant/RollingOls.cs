namespace TradingOrleans.Grains.Quant;

/// <summary>Ordinary least squares of y on x with an intercept, over the last N points.</summary>
public sealed class RollingOls
{
    private readonly double[] _x;
    private readonly double[] _y;
    private int _next;

    public RollingOls(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 3);
        _x = new double[window];
        _y = new double[window];
    }

    public int Count { get; private set; }

    public bool IsReady => Count == _x.Length;

    /// <summary>β in y = α + βx.</summary>
    public double Slope { get; private set; } = double.NaN;

    /// <summary>α in y = α + βx.</summary>
    public double Intercept { get; private set; } = double.NaN;

    public void Add(double x, double y)
    {
        _x[_next] = x;
        _y[_next] = y;
        _next = (_next + 1) % _x.Length;
        Count = Math.Min(Count + 1, _x.Length);
        Fit();
    }

    /// <summary>Standard error of the regression: √(Σ residual² / (n − 2)) over the window.</summary>
    public double ResidualStandardError { get; private set; } = double.NaN;

    /// <summary>y − (α + βx): how far a point lies from the fitted line.</summary>
    public double Residual(double x, double y) => y - (Intercept + Slope * x);

    // Centred sums over the window: O(N) per bar, but exact (no running-sum drift) and N is a few hundred.
    private void Fit()
    {
        if (Count < 2)
        {
            return;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < Count; i++)
        {
            meanX += _x[i];
            meanY += _y[i];
        }

        meanX /= Count;
        meanY /= Count;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < Count; i++)
        {
            var dx = _x[i] - meanX;
            var dy = _y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        if (sxx <= 0)
        {
            return;
        }

        Slope = sxy / sxx;
        Intercept = meanY - Slope * meanX;
        ResidualStandardError = Count > 2 ? Math.Sqrt(Math.Max(syy - Slope * sxy, 0) / (Count - 2)) : double.NaN;
    }
}
