namespace TradingOrleans.Grains.Indicators;

/// <summary>
/// Highest (or lowest) of the last <c>period</c> values with the number of bars since it, by a monotonic deque:
/// each value enters and leaves once, so O(1) amortised per bar.
/// </summary>
public sealed class RollingExtreme(int period, bool highest)
{
    private readonly LinkedList<(long Index, double Value)> _candidates = new();
    private long _index = -1;

    public int Period { get; } = period > 0 ? period : throw new ArgumentOutOfRangeException(nameof(period));

    public bool IsReady => _index + 1 >= Period;

    public double Current => _candidates.First!.Value.Value;

    /// <summary>Bars since the extreme was set: 0 when it is the newest value.</summary>
    public int BarsSince => (int)(_index - _candidates.First!.Value.Index);

    public void Update(double value)
    {
        _index++;
        // Ties keep the newer value: "bars since" then counts from the most recent extreme.
        while (_candidates.Last is { } last && (highest ? last.Value.Value <= value : last.Value.Value >= value))
        {
            _candidates.RemoveLast();
        }

        _candidates.AddLast((_index, value));
        if (_candidates.First!.Value.Index <= _index - Period)
        {
            _candidates.RemoveFirst();
        }
    }
}
