namespace TradingOrleans.Grains.Indicators;

/// <summary>TRIX: the one-bar percent change of a triple-smoothed EMA(n), and an EMA(signal) of it.</summary>
public sealed class Trix(int period, int signal)
{
    private readonly ExponentialMovingAverage _first = new(period);
    private readonly ExponentialMovingAverage _second = new(period);
    private readonly ExponentialMovingAverage _third = new(period);
    private readonly ExponentialMovingAverage _signal = new(signal);
    private double _previous = double.NaN;

    public bool IsReady => _signal.IsReady;

    public double Current { get; private set; } = double.NaN;

    public double Signal => _signal.Current;

    public void Update(double close)
    {
        _first.Update(close);
        if (!_first.IsReady)
        {
            return;
        }

        _second.Update(_first.Current);
        if (!_second.IsReady)
        {
            return;
        }

        _third.Update(_second.Current);
        if (!_third.IsReady)
        {
            return;
        }

        if (!double.IsNaN(_previous))
        {
            Current = 100 * (_third.Current - _previous) / _previous;
            _signal.Update(Current);
        }

        _previous = _third.Current;
    }
}
