using System.Text.Json.Serialization;

namespace TradingOrleans.Grains.Adapters.Binance;

// Binance's market-stream payloads, field for field (single-letter names are Binance's; "e" and "E" differ by case).
// Prices and quantities arrive as strings and are read as decimals.

/// <summary>A combined-stream frame: <c>{"stream": "btcusdt@trade", "data": {…}}</c>.</summary>
internal sealed record CombinedFrame(
    [property: JsonPropertyName("stream")] string? Stream,
    [property: JsonPropertyName("data")] System.Text.Json.JsonElement Data);

/// <summary>The <c>&lt;symbol&gt;@trade</c> payload.</summary>
internal sealed record TradePayload(
    [property: JsonPropertyName("e")] string EventType,
    [property: JsonPropertyName("E")] long EventTime,
    [property: JsonPropertyName("s")] string Symbol,
    [property: JsonPropertyName("t")] long TradeId,
    [property: JsonPropertyName("p"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Price,
    [property: JsonPropertyName("q"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Quantity,
    [property: JsonPropertyName("T")] long TradeTime);

/// <summary>The <c>&lt;symbol&gt;@bookTicker</c> payload (it has no event type or time).</summary>
internal sealed record BookTickerPayload(
    [property: JsonPropertyName("u")] long UpdateId,
    [property: JsonPropertyName("s")] string Symbol,
    [property: JsonPropertyName("b"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal BidPrice,
    [property: JsonPropertyName("B"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal BidQuantity,
    [property: JsonPropertyName("a"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal AskPrice,
    [property: JsonPropertyName("A"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal AskQuantity);

/// <summary>The <c>&lt;symbol&gt;@kline_&lt;interval&gt;</c> payload.</summary>
internal sealed record KlinePayload(
    [property: JsonPropertyName("e")] string EventType,
    [property: JsonPropertyName("E")] long EventTime,
    [property: JsonPropertyName("s")] string Symbol,
    [property: JsonPropertyName("k")] KlineBody Kline);

/// <summary>The bar inside a kline payload.</summary>
internal sealed record KlineBody(
    [property: JsonPropertyName("t")] long OpenTime,
    [property: JsonPropertyName("T")] long CloseTime,
    [property: JsonPropertyName("i")] string Interval,
    [property: JsonPropertyName("o"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Open,
    [property: JsonPropertyName("h"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal High,
    [property: JsonPropertyName("l"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Low,
    [property: JsonPropertyName("c"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Close,
    [property: JsonPropertyName("v"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Volume,
    [property: JsonPropertyName("x")] bool IsClosed);

/// <summary>Just the event type, to dispatch a payload.</summary>
internal sealed record EventHeader([property: JsonPropertyName("e")] string? EventType);

[JsonSerializable(typeof(CombinedFrame))]
[JsonSerializable(typeof(TradePayload))]
[JsonSerializable(typeof(BookTickerPayload))]
[JsonSerializable(typeof(KlinePayload))]
[JsonSerializable(typeof(EventHeader))]
internal sealed partial class BinanceJsonContext : JsonSerializerContext;
