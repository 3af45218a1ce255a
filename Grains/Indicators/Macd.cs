namespace TradingOrleans.Grains.Indicators;

/// <summary>MACD: EMA(fast) − EMA(slow) of closes, its EMA(signal), and the histogram between them.</summary>
public sealed class Macd(int fast, int slow, int signal)
{
    private readonly ExponentialMovingAverage _fast = new(fast);
    private readonly ExponentialMovingAverage _slow = new(slow);
    private readonly ExponentialMovingAverage _signal = new(signal);

    public bool IsReady => _signal.IsReady;

    public double Line { get; private set; } = double.NaN;

    public double Signal => _signal.Current;

    public double Histogram => Line - Signal;

    public void Update(double value)
    {
        _fast.Update(value);
        _slow.Update(value);
        if (_slow.IsReady)
        {
            Line = _fast.Current - _slow.Current;
            _signal.Update(Line);
        }
    }
}
