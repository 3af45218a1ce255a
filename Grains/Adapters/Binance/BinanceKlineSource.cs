using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>One kline as Binance sent it: its open and close time, and its prices and volume as the strings of the answer.</summary>
public sealed record BinanceKline(DateTimeOffset OpenTime, DateTimeOffset CloseTime, string Open, string High, string Low, string Close, string Volume);

/// <summary>A page of klines, oldest first, and the request weight the IP had used after it (<c>X-MBX-USED-WEIGHT-1M</c>).</summary>
public sealed record BinanceKlinePage(IReadOnlyList<BinanceKline> Klines, long? UsedWeight);

/// <summary>
/// Pages of klines from <c>GET /api/v3/klines</c>, a public endpoint (weight 2, at most <see cref="PageLimit"/> a page),
/// through <see cref="BinanceRestClient"/>: its retries, its hold while the minute's weight is used up, its 429 hold and
/// its 418 ban. A 429 is waited out and the page asked again; a 418 ends the download.
/// </summary>
/// <param name="rateLimited">Told each 429's Retry-After before the page is asked again.</param>
public sealed class BinanceKlineSource(BinanceRestClient client, Action<TimeSpan?> rateLimited)
{
    public const int PageLimit = 1000;

    /// <summary>
    /// The settings of a client that downloads: <paramref name="weightPerMinute"/> as its limit (it holds requests when a
    /// response reports that much used), and every hold waited out however long Binance asks, as nothing waits on a download.
    /// </summary>
    public static BinanceBrokerOptions ClientOptions(string baseUrl, int weightPerMinute) => new()
    {
        RestBaseUrl = baseUrl,
        WeightPerMinute = weightPerMinute,
        MaxRetryAfterWait = TimeSpan.MaxValue,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The klines opening from <paramref name="start"/> to <paramref name="end"/> (both included), the oldest <see cref="PageLimit"/> of them.</summary>
    public async Task<BinanceKlinePage> PageAsync(string symbol, string interval, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("symbol", symbol),
            new("interval", interval),
            new("startTime", start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new("endTime", end.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new("limit", PageLimit.ToString(CultureInfo.InvariantCulture)),
        ];
        while (true)
        {
            var response = await client.GetAsync("api/v3/klines", parameters, signed: false, cancellationToken);
            switch ((int)response.Status)
            {
                case 429:
                    // The client holds every request until Retry-After has passed: asking again waits it out.
                    rateLimited(response.RetryAfter);
                    continue;
                case 418:
                    throw new BinanceBannedException(client.BannedUntil);
            }

            return response is { IsSuccess: true, Body: { } body }
                ? new BinanceKlinePage(Parse(body), response.UsedWeight)
                : throw new BinanceRequestFailedException($"klines of {symbol}", response);
        }
    }

    /// <summary>
    /// Rows of <c>[openTime, "open", "high", "low", "close", "volume", closeTime, …]</c>; the values are kept as sent, so a
    /// file holds Binance's own digits, not a float's.
    /// </summary>
    private static List<BinanceKline> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Binance's klines answer is not an array: {Shorten(body)}");
        }

        var klines = new List<BinanceKline>(body.GetArrayLength());
        foreach (var row in body.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 7
                || !row[0].TryGetInt64(out var openTime) || !row[6].TryGetInt64(out var closeTime)
                || Enumerable.Range(1, 5).Any(i => row[i].ValueKind != JsonValueKind.String))
            {
                throw new FormatException($"A kline row is not [openTime, \"open\", \"high\", \"low\", \"close\", \"volume\", closeTime, …]: {Shorten(row)}");
            }

            klines.Add(new BinanceKline(DateTimeOffset.FromUnixTimeMilliseconds(openTime), DateTimeOffset.FromUnixTimeMilliseconds(closeTime),
                row[1].GetString()!, row[2].GetString()!, row[3].GetString()!, row[4].GetString()!, row[5].GetString()!));
        }

        return klines;
    }

    private static string Shorten(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}

/// <summary>Binance answered with an error, after the client's retries; <see cref="Code"/> is Binance's own when it sent one.</summary>
public sealed class BinanceRequestFailedException(string what, BinanceResponse response) : Exception(
    $"{what}: {(response.Code is { } code ? BinanceErrors.Describe(code, response.Message) : $"HTTP {(int)response.Status} {response.Status}{(response.Status == HttpStatusCode.OK ? " with a body that is not JSON" : "")}")}")
{
    public int? Code { get; } = response.Code;
}
