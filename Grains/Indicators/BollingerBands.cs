namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Bollinger bands: SMA(n) ± k × the population standard deviation of the same n closes, from running sums of
/// the values less the first one seen (so the sum of squares does not cancel catastrophically at high prices).
/// </summary>
public sealed class BollingerBands(int period, double width)
{
    private readonly RollingWindow _window = new(period);
    private double _shift = double.NaN;
    private double _sum;
    private double _sumOfSquares;

    public bool IsReady => _window.IsFull;

    public double Middle { get; private set; } = double.NaN;

    public double Deviation { get; private set; } = double.NaN;

    public double Upper => Middle + width * Deviation;

    public double Lower => Middle - width * Deviation;

    public void Update(double value)
    {
        if (double.IsNaN(_shift))
        {
            _shift = value;
        }

        var full = _window.IsFull;
        var entering = value - _shift;
        var leaving = _window.Add(entering);
        _sum += entering - (full ? leaving : 0);
        _sumOfSquares += entering * entering - (full ? leaving * leaving : 0);
        if (IsReady)
        {
            var n = _window.Count;
            var mean = _sum / n;
            Middle = _shift + mean;
            Deviation = Math.Sqrt(Math.Max(_sumOfSquares / n - mean * mean, 0));
        }
    }
}
