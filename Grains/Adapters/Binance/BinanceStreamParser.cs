using System.Text.Json;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>What one combined-stream frame turned out to be.</summary>
public enum BinanceFrameKind
{
    Trade,
    Quote,
    ClosedCandle,

    /// <summary>A kline update for a bar still open: not a bar yet.</summary>
    OpenCandle,

    /// <summary>Binance will close the connection: reconnect now.</summary>
    ServerShutdown,

    /// <summary>A reply to a control message, or a stream this feed does not use.</summary>
    Ignored,
    Malformed,
}

/// <summary>A parsed frame: its kind and, for market data, the normalised record.</summary>
public sealed record BinanceFrame(BinanceFrameKind Kind, object? Record = null, string? Error = null);

/// <summary>Parses Binance combined-stream frames (<c>/stream?streams=…</c>) into our market records.</summary>
public static class BinanceStreamParser
{
    public static BinanceFrame Parse(ReadOnlySpan<byte> frame, DateTimeOffset ingestedAt)
    {
        try
        {
            var combined = JsonSerializer.Deserialize(frame, BinanceJsonContext.Default.CombinedFrame);
            var stream = combined?.Stream;
            if (stream is null || combined!.Data.ValueKind != JsonValueKind.Object)
            {
                // {"result":null,"id":1} and friends answer our own control messages.
                return new BinanceFrame(BinanceFrameKind.Ignored);
            }

            var data = combined.Data;
            if (stream == "!serverShutdown")
            {
                return new BinanceFrame(BinanceFrameKind.ServerShutdown);
            }

            if (stream.EndsWith("@trade", StringComparison.Ordinal))
            {
                var trade = data.Deserialize(BinanceJsonContext.Default.TradePayload)!;
                return new BinanceFrame(BinanceFrameKind.Trade,
                    new MarketTick(trade.Symbol, trade.TradeId, Positive(trade.Price, "p"), Positive(trade.Quantity, "q"),
                        DateTimeOffset.FromUnixTimeMilliseconds(trade.TradeTime), ingestedAt));
            }

            if (stream.EndsWith("@bookTicker", StringComparison.Ordinal))
            {
                var book = data.Deserialize(BinanceJsonContext.Default.BookTickerPayload)!;
                return new BinanceFrame(BinanceFrameKind.Quote,
                    new Quote(book.Symbol, book.UpdateId, book.BidPrice, book.BidQuantity, book.AskPrice, book.AskQuantity, ingestedAt));
            }

            if (stream.Contains("@kline_", StringComparison.Ordinal))
            {
                var kline = data.Deserialize(BinanceJsonContext.Default.KlinePayload)!;
                var bar = kline.Kline;
                if (!bar.IsClosed)
                {
                    return new BinanceFrame(BinanceFrameKind.OpenCandle);
                }

                return new BinanceFrame(BinanceFrameKind.ClosedCandle,
                    new Candle(kline.Symbol, Interval(bar.Interval), DateTimeOffset.FromUnixTimeMilliseconds(bar.OpenTime),
                        bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, ingestedAt));
            }

            return new BinanceFrame(BinanceFrameKind.Ignored);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return new BinanceFrame(BinanceFrameKind.Malformed, Error: exception.Message);
        }
    }

    /// <summary>A Binance interval name (<c>1s</c>, <c>1m</c>, <c>4h</c>, <c>1d</c>, <c>1w</c>) as a duration; months are refused.</summary>
    public static TimeSpan Interval(string name) =>
        BinanceKlineIntervals.FixedLength.TryGetValue(name, out var length)
            ? length
            : throw new FormatException($"'{name}' is not a fixed-length Binance kline interval");

    private static decimal Positive(decimal value, string field) =>
        value > 0 ? value : throw new FormatException($"field '{field}' must be positive, got {value}");
}
