using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>System.Text.Json source generation for the records on the <c>market_data</c> topic.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Candle))]
[JsonSerializable(typeof(MarketTick))]
[JsonSerializable(typeof(Quote))]
internal sealed partial class MarketDataJsonContext : JsonSerializerContext;

/// <summary>
/// How market records look on Kafka: JSON values (readable by any Kafka tool), the symbol as the key, and headers
/// naming the record type, the stream namespace, and the event and ingest times in Unix microseconds.
/// </summary>
public static class MarketDataKafkaCodec
{
    public const string TypeHeader = "type";
    public const string NamespaceHeader = "stream-namespace";
    public const string EventTimeHeader = "event-time-us";
    public const string IngestTimeHeader = "ingest-time-us";

    private const string CandleType = "candle";
    private const string TickType = "tick";
    private const string QuoteType = "quote";

    public static Message<string, byte[]> Encode(string streamNamespace, object record)
    {
        var (type, symbol, eventTime, ingestedAt, value) = record switch
        {
            Candle c => (CandleType, c.Symbol, c.CloseTime, c.IngestedAt, JsonSerializer.SerializeToUtf8Bytes(c, MarketDataJsonContext.Default.Candle)),
            MarketTick t => (TickType, t.Symbol, t.TradeTime, t.IngestedAt, JsonSerializer.SerializeToUtf8Bytes(t, MarketDataJsonContext.Default.MarketTick)),
            // Book tickers carry no exchange time; the ingest time stands in for it.
            Quote q => (QuoteType, q.Symbol, q.IngestedAt, q.IngestedAt, JsonSerializer.SerializeToUtf8Bytes(q, MarketDataJsonContext.Default.Quote)),
            _ => throw new ArgumentException($"{record.GetType().Name} is not a market record this topic carries.", nameof(record)),
        };
        return new Message<string, byte[]>
        {
            Key = symbol,
            Value = value,
            Headers = new Headers
            {
                { TypeHeader, Encoding.UTF8.GetBytes(type) },
                { NamespaceHeader, Encoding.UTF8.GetBytes(streamNamespace) },
                { EventTimeHeader, Microseconds(eventTime) },
                { IngestTimeHeader, Microseconds(ingestedAt) },
            },
        };
    }

    /// <summary>Decodes a record; false (with the reason) for anything malformed, so the caller can count and skip it.</summary>
    public static bool TryDecode(Message<string, byte[]> message, out string streamNamespace, out object record, out string error)
    {
        streamNamespace = Header(message, NamespaceHeader) ?? MarketChannels.Namespace;
        record = null!;
        error = "";
        try
        {
            object? decoded = Header(message, TypeHeader) switch
            {
                CandleType => JsonSerializer.Deserialize(message.Value, MarketDataJsonContext.Default.Candle),
                TickType => JsonSerializer.Deserialize(message.Value, MarketDataJsonContext.Default.MarketTick),
                QuoteType => JsonSerializer.Deserialize(message.Value, MarketDataJsonContext.Default.Quote),
                var other => throw new JsonException($"unknown record type header '{other}'"),
            };
            var symbol = decoded switch
            {
                Candle c => c.Symbol,
                MarketTick t => t.Symbol,
                Quote q => q.Symbol,
                _ => null,
            };
            if (string.IsNullOrEmpty(symbol) || symbol != message.Key)
            {
                error = $"record symbol '{symbol}' does not match the message key '{message.Key}'";
                return false;
            }

            record = decoded!;
            return true;
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    private static string? Header(Message<string, byte[]> message, string name) =>
        message.Headers is not null && message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static byte[] Microseconds(DateTimeOffset time) =>
        Encoding.UTF8.GetBytes(((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture));
}
