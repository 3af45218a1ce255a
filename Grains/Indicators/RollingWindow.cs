namespace TradingOrleans.Grains.Indicators;

/// <summary>The last <c>capacity</c> values in arrival order, in a ring buffer (O(1) per value).</summary>
public sealed class RollingWindow(int capacity)
{
    private readonly double[] _values = new double[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private int _next;

    public int Capacity => _values.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == _values.Length;

    /// <summary>The value <paramref name="ago"/> places back: 0 is the newest.</summary>
    public double this[int ago] => ago < Count
        ? _values[(_next - 1 - ago + 2 * _values.Length) % _values.Length]
        : throw new ArgumentOutOfRangeException(nameof(ago));

    /// <summary>Adds a value; returns the one it pushed out (NaN until the window is full).</summary>
    public double Add(double value)
    {
        var leaving = IsFull ? _values[_next] : double.NaN;
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        Count = Math.Min(Count + 1, _values.Length);
        return leaving;
    }
}
