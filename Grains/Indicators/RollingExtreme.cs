namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Highest (or lowest) of the last <c>period</c> values with the number of bars since it, by a monotonic deque
/// kept in a ring buffer: each value enters and leaves once, so O(1) amortised per bar and no allocation.
/// </summary>
public sealed class RollingExtreme
{
    private readonly long[] _indices;
    private readonly double[] _values;
    private readonly bool _highest;
    private int _head;
    private int _count;
    private long _index = -1;

    public RollingExtreme(int period, bool highest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _highest = highest;
        _indices = new long[period];
        _values = new double[period];
    }

    public int Period { get; }

    public bool IsReady => _index + 1 >= Period;

    public double Current => _values[_head];

    /// <summary>Bars since the extreme was set: 0 when it is the newest value.</summary>
    public int BarsSince => (int)(_index - _indices[_head]);

    public void Update(double value)
    {
        _index++;
        if (_count > 0 && _indices[_head] <= _index - Period)
        {
            _head = (_head + 1) % Period;
            _count--;
        }

        // Ties keep the newer value: "bars since" then counts from the most recent extreme.
        while (_count > 0)
        {
            var last = (_head + _count - 1) % Period;
            if (_highest ? _values[last] > value : _values[last] < value)
            {
                break;
            }

            _count--;
        }

        var slot = (_head + _count) % Period;
        (_indices[slot], _values[slot]) = (_index, value);
        _count++;
    }
}
