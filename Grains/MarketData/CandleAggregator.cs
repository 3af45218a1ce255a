using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>
/// Builds bars of a fixed interval from trades. A bar closes when the first trade of a later interval arrives
/// (or on <see cref="Flush"/>); intervals without trades produce no bar. Trades older than the open bar are
/// counted in <see cref="LateTicks"/> and ignored.
/// </summary>
public sealed class CandleAggregator(string symbol, TimeSpan interval)
{
    private Candle? _open;

    public long LateTicks { get; private set; }

    /// <summary>The bar being built, if any.</summary>
    public Candle? Current => _open;

    /// <summary>Adds a trade; returns the bar it closed, if it opened a new interval.</summary>
    public IReadOnlyList<Candle> Add(MarketTick tick)
    {
        var openTime = Floor(tick.TradeTime);
        if (_open is null)
        {
            _open = Start(tick, openTime);
            return [];
        }

        if (openTime < _open.OpenTime)
        {
            LateTicks++;
            return [];
        }

        if (openTime == _open.OpenTime)
        {
            _open = _open with
            {
                High = Math.Max(_open.High, tick.Price),
                Low = Math.Min(_open.Low, tick.Price),
                Close = tick.Price,
                Volume = _open.Volume + tick.Quantity,
                IngestedAt = tick.IngestedAt,
            };
            return [];
        }

        // This trade proves the open bar complete: it closes with the ingest time of the trade that closed it.
        var closed = _open with { IngestedAt = tick.IngestedAt };
        _open = Start(tick, openTime);
        return [closed];
    }

    /// <summary>Closes the open bar if its interval has ended by <paramref name="now"/> (no trade came to close it).</summary>
    public Candle? Flush(DateTimeOffset now)
    {
        if (_open is null || now < _open.CloseTime)
        {
            return null;
        }

        var closed = _open;
        _open = null;
        return closed;
    }

    private Candle Start(MarketTick tick, DateTimeOffset openTime) =>
        new(symbol, interval, openTime, tick.Price, tick.Price, tick.Price, tick.Price, tick.Quantity, tick.IngestedAt);

    private DateTimeOffset Floor(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - ticks % interval.Ticks);
    }
}
