using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// The bars before a point in time from Binance's public klines endpoint (<c>GET /api/v3/klines</c>, weight 2 a page)
/// on the network of the market streams, at their bar length: a <c>kline_&lt;interval&gt;</c> stream's, or
/// <c>Trading:MarketData:CandleInterval</c> when the SymbolGrain makes bars from trades. One shared client; a rate limit
/// or an error is not waited out (the symbol then re-learns from the feed).
/// </summary>
public sealed class BinanceCandleHistory : ICandleHistory, IDisposable
{
    private readonly string? _interval;
    private readonly TimeSpan _length;
    private readonly BinanceRestClient? _client;
    private readonly TimeProvider _time;

    public BinanceCandleHistory(IOptions<BinanceMarketDataOptions> stream, IOptions<MarketDataOptions> marketData, TimeProvider time, ILogger<BinanceCandleHistory> logger)
    {
        _time = time;
        var kline = stream.Value.SubscribedStreams.FirstOrDefault(s => s.StartsWith("kline_", StringComparison.Ordinal))?["kline_".Length..];
        _interval = kline ?? BinanceKlineIntervals.FixedLength.FirstOrDefault(i => i.Value == marketData.Value.CandleInterval).Key;
        _length = _interval is not null && BinanceKlineIntervals.FixedLength.TryGetValue(_interval, out var length) ? length : TimeSpan.Zero;
        if (_length > TimeSpan.Zero && stream.Value.HistoryUrl() is { } url)
        {
            _client = new BinanceRestClient(new BinanceBrokerOptions { RestBaseUrl = url, RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryAfterWait = TimeSpan.Zero }, time, logger);
        }
    }

    public async Task<IReadOnlyList<Candle>> Before(string symbol, DateTimeOffset through, int count, CancellationToken cancellationToken)
    {
        if (_client is null || count <= 0)
        {
            return [];
        }

        var source = new BinanceKlineSource(_client, retryAfter => throw new HttpRequestException($"Binance's klines are rate-limited for {retryAfter?.TotalSeconds ?? 0:0} s"));
        var bars = new List<Candle>(count);
        var start = through - (_length * (count - 1));
        while (start <= through)
        {
            var page = await source.PageAsync(symbol, _interval!, start, through, cancellationToken);
            bars.AddRange(page.Klines.Select(k => ToCandle(symbol, k)));
            if (page.Klines.Count < BinanceKlineSource.PageLimit)
            {
                break;
            }

            start = page.Klines[^1].OpenTime + _length;
        }

        return bars.Count > count ? bars[^count..] : bars;
    }

    private Candle ToCandle(string symbol, BinanceKline kline) =>
        new(symbol, _length, kline.OpenTime, Number(kline.Open), Number(kline.High), Number(kline.Low), Number(kline.Close), Number(kline.Volume), _time.GetUtcNow());

    private static decimal Number(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public void Dispose() => _client?.Dispose();
}
