namespace TradingOrleans.Grains.Ml;

/// <summary>
/// Judges a served model's directional calls as bars arrive, the way its calibration judged the held-out calls: a
/// call is right when the log return over the next <c>horizonBars</c> bars has its sign; flat calls and a zero
/// return are not judged. Reports the share wrong among the latest <c>window</c> judged calls, once that many exist,
/// so it compares with the held-out figure (<see cref="ModelCalibration.HeldOutErrorRate"/>) without early noise.
/// </summary>
public sealed class RealisedCallError
{
    /// <summary>Judged calls the rate is taken over: its standard error near ½ is about 0.5 / √250 ≈ 0.03.</summary>
    public const int DefaultWindow = 250;

    private readonly (int Direction, double Close)[] _pending;
    private readonly bool[] _wrong;
    private long _bars;
    private long _judged;
    private int _wrongCount;

    public RealisedCallError(int horizonBars, int window = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonBars, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _pending = new (int, double)[horizonBars];
        _wrong = new bool[window];
    }

    /// <summary>Share of the latest window's judged calls that were wrong; null until the window is full.</summary>
    public double? Rate => _judged >= _wrong.Length ? (double)_wrongCount / _wrong.Length : null;

    /// <summary>Calls judged so far.</summary>
    public long Judged => _judged;

    /// <summary>A new bar's close: judges the call made <c>horizonBars</c> bars ago; the bar makes no call until <see cref="Call"/>.</summary>
    public void Bar(double close)
    {
        // The slot of the bar horizonBars ago is the one this bar takes over.
        ref var slot = ref _pending[_bars++ % _pending.Length];
        if (slot.Direction != 0 && slot.Close > 0 && close > 0 && Math.Log(close / slot.Close) is var realised && realised != 0)
        {
            Judge(Math.Sign(realised) != slot.Direction);
        }

        slot = (0, close);
    }

    /// <summary>The model's call (−1, 0, 1) on the latest bar.</summary>
    public void Call(int direction) => _pending[(_bars - 1) % _pending.Length].Direction = Math.Sign(direction);

    private void Judge(bool wrong)
    {
        var index = (int)(_judged++ % _wrong.Length);
        _wrongCount += (wrong ? 1 : 0) - (_wrong[index] ? 1 : 0);
        _wrong[index] = wrong;
    }
}
