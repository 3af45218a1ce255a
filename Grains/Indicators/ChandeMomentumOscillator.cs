namespace TradingOrleans.Grains.Indicators;

/// <summary>Chande's momentum oscillator: 100 (Σ gains − Σ losses) / (Σ gains + Σ losses) of the last n changes, in [−100, 100].</summary>
public sealed class ChandeMomentumOscillator(int period)
{
    private readonly RollingWindow _gains = new(period);
    private readonly RollingWindow _losses = new(period);
    private double _previous = double.NaN;
    private double _gainSum;
    private double _lossSum;

    public bool IsReady => _gains.IsFull;

    public double Current => IsReady && _gainSum + _lossSum > 0 ? 100 * (_gainSum - _lossSum) / (_gainSum + _lossSum) : 0;

    public void Update(double close)
    {
        if (double.IsNaN(_previous))
        {
            _previous = close;
            return;
        }

        var change = close - _previous;
        _previous = close;
        var full = _gains.IsFull;
        var leavingGain = _gains.Add(Math.Max(change, 0));
        var leavingLoss = _losses.Add(Math.Max(-change, 0));
        _gainSum += Math.Max(change, 0) - (full ? leavingGain : 0);
        _lossSum += Math.Max(-change, 0) - (full ? leavingLoss : 0);
    }
}
