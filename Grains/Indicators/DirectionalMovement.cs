namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Wilder's directional movement: +DI, −DI and ADX over n bars. +DM = H − H₋₁ when it exceeds L₋₁ − L (else 0),
/// −DM symmetric; TR, +DM and −DM are Wilder-smoothed (sum of the first n, then S − S/n + x); DI = 100 × DM / TR;
/// DX = 100 |+DI − −DI| / (+DI + −DI); ADX is the mean of the first n DX values, then Wilder-smoothed.
/// </summary>
public sealed class DirectionalMovement(int period)
{
    private double _previousHigh = double.NaN;
    private double _previousLow;
    private double _previousClose;
    private double _trueRange;
    private double _plus;
    private double _minus;
    private int _moves;
    private int _dxCount;
    private double _adxSum;

    public bool IsReady => _dxCount >= period;

    public double PlusDi { get; private set; } = double.NaN;

    public double MinusDi { get; private set; } = double.NaN;

    public double Adx { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        if (double.IsNaN(_previousHigh))
        {
            (_previousHigh, _previousLow, _previousClose) = (high, low, close);
            return;
        }

        var up = high - _previousHigh;
        var down = _previousLow - low;
        var plus = up > down && up > 0 ? up : 0;
        var minus = down > up && down > 0 ? down : 0;
        var trueRange = Math.Max(high - low, Math.Max(Math.Abs(high - _previousClose), Math.Abs(low - _previousClose)));
        (_previousHigh, _previousLow, _previousClose) = (high, low, close);

        _moves++;
        if (_moves <= period)
        {
            (_trueRange, _plus, _minus) = (_trueRange + trueRange, _plus + plus, _minus + minus);
        }
        else
        {
            _trueRange = _trueRange - _trueRange / period + trueRange;
            _plus = _plus - _plus / period + plus;
            _minus = _minus - _minus / period + minus;
        }

        if (_moves < period)
        {
            return;
        }

        PlusDi = _trueRange > 0 ? 100 * _plus / _trueRange : 0;
        MinusDi = _trueRange > 0 ? 100 * _minus / _trueRange : 0;
        var total = PlusDi + MinusDi;
        var dx = total > 0 ? 100 * Math.Abs(PlusDi - MinusDi) / total : 0;
        _dxCount++;
        if (_dxCount <= period)
        {
            _adxSum += dx;
            Adx = _adxSum / _dxCount;
        }
        else
        {
            Adx = (Adx * (period - 1) + dx) / period;
        }
    }
}
