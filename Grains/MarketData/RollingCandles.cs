using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>The last N closed bars of one symbol in time order; refuses bars that are not newer than the last.</summary>
public sealed class RollingCandles(int capacity)
{
    private readonly Queue<Candle> _bars = new(capacity);

    public int Count => _bars.Count;

    public Candle? Last { get; private set; }

    /// <summary>Adds a bar; returns false (and keeps nothing) for a duplicate or out-of-order bar.</summary>
    public bool TryAdd(Candle candle)
    {
        if (Last is not null && candle.OpenTime <= Last.OpenTime)
        {
            return false;
        }

        if (_bars.Count == capacity)
        {
            _bars.Dequeue();
        }

        _bars.Enqueue(candle);
        Last = candle;
        return true;
    }

    /// <summary>Up to <paramref name="count"/> most recent bars, oldest first.</summary>
    public IReadOnlyList<Candle> Recent(int count) => [.. _bars.Skip(Math.Max(0, _bars.Count - count))];
}
