using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.MarketData;

/// <summary>
/// Builds bars of a fixed interval from trades. A bar closes when the first trade of a later interval arrives
/// (or on <see cref="Flush"/>); intervals without trades produce no bar. Trades older than the open bar are
/// counted in <see cref="LateTicks"/> and ignored.
/// </summary>
public sealed class CandleAggregator(string symbol, TimeSpan interval)
{
    // The open bar's fields, updated in place: a Candle record per trade would allocate on every tick.
    private bool _hasOpen;
    private DateTimeOffset _openTime;
    private decimal _openPrice, _high, _low, _close, _volume;
    private DateTimeOffset _ingestedAt;

    public long LateTicks { get; private set; }

    /// <summary>The bar being built, if any.</summary>
    public Candle? Current => _hasOpen ? Build(_ingestedAt) : null;

    /// <summary>Adds a trade; returns the bar it closed, if it opened a new interval.</summary>
    public IReadOnlyList<Candle> Add(MarketTick tick)
    {
        var openTime = Floor(tick.TradeTime);
        if (!_hasOpen)
        {
            Start(tick, openTime);
            return [];
        }

        if (openTime < _openTime)
        {
            LateTicks++;
            return [];
        }

        if (openTime == _openTime)
        {
            _high = Math.Max(_high, tick.Price);
            _low = Math.Min(_low, tick.Price);
            _close = tick.Price;
            _volume += tick.Quantity;
            _ingestedAt = tick.IngestedAt;
            return [];
        }

        // This trade proves the open bar complete: it closes with the ingest time of the trade that closed it.
        var closed = Build(tick.IngestedAt);
        Start(tick, openTime);
        return [closed];
    }

    /// <summary>Closes the open bar if its interval has ended by <paramref name="now"/> (no trade came to close it).</summary>
    public Candle? Flush(DateTimeOffset now)
    {
        if (!_hasOpen || now < _openTime + interval)
        {
            return null;
        }

        _hasOpen = false;
        return Build(_ingestedAt);
    }

    private void Start(MarketTick tick, DateTimeOffset openTime)
    {
        (_hasOpen, _openTime, _openPrice, _high, _low, _close, _volume, _ingestedAt) =
            (true, openTime, tick.Price, tick.Price, tick.Price, tick.Price, tick.Quantity, tick.IngestedAt);
    }

    private Candle Build(DateTimeOffset ingestedAt) => new(symbol, interval, _openTime, _openPrice, _high, _low, _close, _volume, ingestedAt);

    private DateTimeOffset Floor(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - ticks % interval.Ticks);
    }
}
