using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>The last N closed bars of one symbol in time order; refuses bars that are not newer than the last.</summary>
public sealed class RollingCandles(int capacity)
{
    private readonly Queue<Candle> _bars = new(capacity);
    private DateTimeOffset? _resumeAfter;

    public int Count => _bars.Count;

    public Candle? Last { get; private set; }

    /// <summary>The open time of the newest bar accepted so far (kept across restarts by the grain).</summary>
    public DateTimeOffset? LastOpenTime => Last?.OpenTime ?? _resumeAfter;

    /// <summary>After a restart: bars opening at or before <paramref name="openTime"/> were processed already.</summary>
    public void ResumeAfter(DateTimeOffset openTime) => _resumeAfter = openTime;

    /// <summary>Adds a bar; returns false (and keeps nothing) for a duplicate or out-of-order bar.</summary>
    public bool TryAdd(Candle candle)
    {
        if (LastOpenTime is { } last && candle.OpenTime <= last)
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
