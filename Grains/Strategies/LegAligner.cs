using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Pairs the bars of two legs by open time. A bar waits until the other leg's bar of the same open time
/// arrives; a leg that skips a bar (exchange gap) drops the unmatched older bars of the other leg.
/// </summary>
public sealed class LegAligner(string legA, string legB)
{
    private readonly SortedDictionary<DateTimeOffset, Candle> _pendingA = [];
    private readonly SortedDictionary<DateTimeOffset, Candle> _pendingB = [];

    /// <summary>Leg A and leg B, in that order.</summary>
    public IReadOnlyList<string> Legs { get; } = [legA, legB];

    /// <summary>How many bar pairs have been matched so far.</summary>
    public int AlignedBars { get; private set; }

    /// <summary>Adds a bar of either leg; returns the matched pair when this bar completes one.</summary>
    public (Candle A, Candle B)? Add(Candle candle)
    {
        var (own, other) = candle.Symbol == legA ? (_pendingA, _pendingB)
            : candle.Symbol == legB ? (_pendingB, _pendingA)
            : throw new ArgumentException($"{candle.Symbol} is not a leg of {legA}|{legB}", nameof(candle));

        if (!other.Remove(candle.OpenTime, out var match))
        {
            own[candle.OpenTime] = candle;
            DropOlderThan(other, candle.OpenTime);
            return null;
        }

        // Anything older than a matched bar can never match any more.
        DropOlderThan(own, candle.OpenTime);
        DropOlderThan(other, candle.OpenTime);
        AlignedBars++;
        return candle.Symbol == legA ? (candle, match) : (match, candle);
    }

    private static void DropOlderThan(SortedDictionary<DateTimeOffset, Candle> pending, DateTimeOffset openTime)
    {
        while (pending.Count > 0 && pending.Keys.First() < openTime)
        {
            pending.Remove(pending.Keys.First());
        }
    }
}
