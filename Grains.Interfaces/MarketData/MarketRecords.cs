namespace TradingOrleans.Grains.Interfaces.MarketData;

/// <summary>One trade printed by the exchange, as normalised by a feed.</summary>
/// <param name="Symbol">Exchange symbol, upper case (e.g. <c>BTCUSDT</c>).</param>
/// <param name="TradeId">Exchange trade id, unique per symbol.</param>
/// <param name="Price">Trade price in the quote asset.</param>
/// <param name="Quantity">Traded quantity in the base asset.</param>
/// <param name="TradeTime">When the exchange matched the trade.</param>
/// <param name="IngestedAt">When our feed received the message (wall clock); the start of tick-to-order latency.</param>
[GenerateSerializer, Immutable]
public sealed record MarketTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long TradeId,
    [property: Id(2)] decimal Price,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] DateTimeOffset TradeTime,
    [property: Id(5)] DateTimeOffset IngestedAt);

/// <summary>
/// Trades of one symbol in exchange order, delivered in one message: what queued on the symbol's feed lane while the
/// previous delivery was in flight (see <c>ChannelMarketDataPublisher</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MarketTickBatch(
    [property: Id(0)] string Symbol,
    [property: Id(1)] IReadOnlyList<MarketTick> Ticks);

/// <summary>An OHLCV bar of one symbol over <see cref="Interval"/>, starting at <see cref="OpenTime"/>.</summary>
/// <param name="IngestedAt">When our feed received (or the replay published) the data that closed this bar.</param>
[GenerateSerializer, Immutable]
public sealed record Candle(
    [property: Id(0)] string Symbol,
    [property: Id(1)] TimeSpan Interval,
    [property: Id(2)] DateTimeOffset OpenTime,
    [property: Id(3)] decimal Open,
    [property: Id(4)] decimal High,
    [property: Id(5)] decimal Low,
    [property: Id(6)] decimal Close,
    [property: Id(7)] decimal Volume,
    [property: Id(8)] DateTimeOffset IngestedAt)
{
    /// <summary>The instant the bar closed (exclusive end of its interval).</summary>
    public DateTimeOffset CloseTime => OpenTime + Interval;
}

/// <summary>Names shared by every publisher and subscriber of market data.</summary>
public static class MarketChannels
{
    /// <summary>The broadcast-channel (embedded) and stream (cluster) provider name.</summary>
    public const string ProviderName = "market";

    /// <summary>The namespace that SymbolGrains implicitly subscribe to; the channel or stream key is the symbol.</summary>
    public const string Namespace = "market";
}

/// <summary>The best bid and offer of one symbol, as the exchange's book-ticker stream reports it.</summary>
/// <param name="UpdateId">Exchange order-book update id; increases with every change.</param>
/// <param name="IngestedAt">When our feed received the message (wall clock).</param>
[GenerateSerializer, Immutable]
public sealed record Quote(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long UpdateId,
    [property: Id(2)] decimal BidPrice,
    [property: Id(3)] decimal BidQuantity,
    [property: Id(4)] decimal AskPrice,
    [property: Id(5)] decimal AskQuantity,
    [property: Id(6)] DateTimeOffset IngestedAt)
{
    public decimal MidPrice => (BidPrice + AskPrice) / 2;
}
