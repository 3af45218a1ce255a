using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// Binance's public klines endpoint on 127.0.0.1, for download tests: <c>GET /api/v3/klines</c> and <c>/api/v3/time</c>,
/// answering from real candles (a folder of kline files per interval) as Binance does (rest-api.md at a5e0bc3ddc): rows
/// <c>[openTime, "open", "high", "low", "close", "volume", closeTime, …]</c> with prices in Binance's 8 decimals, the
/// oldest <c>limit</c> (≤ 1000) opening from <c>startTime</c> to <c>endTime</c>, the candle still open at the clock's
/// now included (its close time in the future) and none after; <c>X-MBX-USED-WEIGHT-1M</c> on every answer, counted per
/// minute of the clock (klines 2, time 1), and 429 with Retry-After past the limit; 400 -1121 for a symbol it has no file
/// of, -1120 for an interval Binance does not have. Faults are scripted per klines request: 429, and 418, a ban that
/// refuses every request until it ends.
/// </summary>
public sealed class FakeBinanceKlines : IAsyncDisposable
{
    /// <summary>Binance's interval names (rest-api.md, "Kline/Candlestick data"), months included.</summary>
    private static readonly HashSet<string> Intervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"];

    private const string TooMuchWeight = """{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}""";

    /// <summary>A scripted answer to one klines request: <c>Status</c> 429 or 418, with its Retry-After.</summary>
    public sealed record Fault(int Status, TimeSpan RetryAfter)
    {
        public static Fault TooManyRequests(int seconds) => new(429, TimeSpan.FromSeconds(seconds));

        public static Fault Ban(int seconds) => new(418, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>A request as it arrived (at the clock's time) and how it was answered.</summary>
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Query, DateTimeOffset At, int Status, long UsedWeight)
    {
        public long StartTime => long.Parse(Query["startTime"], CultureInfo.InvariantCulture);
    }

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, string> _folders;
    private readonly ConcurrentDictionary<(string Interval, string Symbol), IReadOnlyList<(long OpenTime, string[] Values)>?> _rows = new();
    private readonly Dictionary<long, long> _weightByMinute = [];
    private readonly List<Received> _received = [];
    private readonly Lock _gate = new();
    private int _klinesRequests;
    private DateTimeOffset _bannedUntil = DateTimeOffset.MinValue;

    private FakeBinanceKlines(WebApplication app, TimeProvider time, IReadOnlyDictionary<string, string> folders) => (_app, _time, _folders) = (app, time, folders);

    public string RestUrl { get; private set; } = "";

    /// <summary>REQUEST_WEIGHT per minute: a request that would pass it is answered 429.</summary>
    public int WeightLimit { get; set; } = 6_000;

    /// <summary>Weight other clients on the same IP use at the start of every minute (the header counts the IP's weight, not one client's).</summary>
    public int OtherWeightPerMinute { get; set; }

    /// <summary>Scripted answers by klines request number (1 for the first).</summary>
    public Dictionary<int, Fault> Faults { get; } = [];

    /// <summary>Called with each klines request's number before it is answered.</summary>
    public Action<int>? OnKlinesRequest { get; set; }

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public IReadOnlyList<Received> KlinesRequests => [.. Requests.Where(r => r.Path == "/api/v3/klines")];

    /// <param name="folders">The kline files served for each interval, e.g. <c>5m</c> → data/binance-usdt-2021-5m.</param>
    public static async Task<FakeBinanceKlines> StartAsync(TimeProvider time, IReadOnlyDictionary<string, string> folders)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var binance = new FakeBinanceKlines(app, time, folders);
        app.MapGet("/api/v3/time", (HttpContext context) => binance.Answer(context, weight: 1, () => (200, $$"""{"serverTime":{{time.GetUtcNow().ToUnixTimeMilliseconds()}}}""", null)));
        app.MapGet("/api/v3/klines", (HttpContext context) =>
        {
            var number = Interlocked.Increment(ref binance._klinesRequests);
            binance.OnKlinesRequest?.Invoke(number);
            return binance.Answer(context, weight: 2, () => binance.Klines(context.Request.Query, number));
        });
        await app.StartAsync();
        binance.RestUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return binance;
    }

    /// <summary>The rows Binance would send for these candles: each value in 8 decimals, as Binance writes them.</summary>
    public static string BinanceDigits(string value) => decimal.Parse(value, CultureInfo.InvariantCulture).ToString("F8", CultureInfo.InvariantCulture);

    /// <summary>A file's rows as <c>(open time, [open, high, low, close, volume])</c>, in file order.</summary>
    public static IReadOnlyList<(long OpenTime, string[] Values)> ReadRows(string path)
    {
        using var reader = new StreamReader(path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(File.OpenRead(path), CompressionMode.Decompress) : File.OpenRead(path));
        reader.ReadLine();
        var rows = new List<(long, string[])>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(',');
            rows.Add((long.Parse(fields[0], CultureInfo.InvariantCulture), fields[1..]));
        }

        return rows;
    }

    private async Task Answer(HttpContext context, int weight, Func<(int Status, string Body, TimeSpan? RetryAfter)> answer)
    {
        var now = _time.GetUtcNow();
        int status;
        string body;
        long used;
        TimeSpan? retryAfter = null;
        lock (_gate)
        {
            var minute = now.ToUnixTimeMilliseconds() / 60_000;
            used = _weightByMinute.GetValueOrDefault(minute, OtherWeightPerMinute);
            if (now < _bannedUntil)
            {
                (status, retryAfter) = (418, _bannedUntil - now);
                body = BanBody(_bannedUntil);
            }
            else if (used + weight > WeightLimit)
            {
                (status, retryAfter, body) = (429, TimeSpan.FromMilliseconds(60_000 - now.ToUnixTimeMilliseconds() % 60_000), TooMuchWeight);
            }
            else
            {
                _weightByMinute[minute] = used += weight;
                (status, body, retryAfter) = answer();
                if (status == 418)
                {
                    _bannedUntil = now + retryAfter!.Value;
                    body = BanBody(_bannedUntil);
                }
            }

            _received.Add(new Received(context.Request.Path, context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), now, status, used));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = used.ToString(CultureInfo.InvariantCulture);
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(body);
    }

    private static string BanBody(DateTimeOffset until) =>
        $$"""{"code":-1003,"msg":"Way too much request weight used; IP banned until {{until.ToUnixTimeMilliseconds()}}. Please use WebSocket Streams for live updates to avoid bans."}""";

    private (int Status, string Body, TimeSpan? RetryAfter) Klines(IQueryCollection query, int number)
    {
        if (Faults.TryGetValue(number, out var fault))
        {
            return (fault.Status, TooMuchWeight, fault.RetryAfter);
        }

        string symbol = query["symbol"].ToString(), interval = query["interval"].ToString();
        if (symbol.Length == 0 || interval.Length == 0)
        {
            return (400, $$"""{"code":-1102,"msg":"Mandatory parameter '{{(symbol.Length == 0 ? "symbol" : "interval")}}' was not sent, was empty/null, or malformed."}""", null);
        }

        if (!Intervals.Contains(interval))
        {
            return (400, """{"code":-1120,"msg":"Invalid interval."}""", null);
        }

        if (!_folders.Values.Any(folder => File.Exists(Path.Combine(folder, $"{symbol}.csv.gz"))))
        {
            return (400, """{"code":-1121,"msg":"Invalid symbol."}""", null);
        }

        var length = (long)(interval[^1] switch { 's' => 1_000, 'm' => 60_000, 'h' => 3_600_000, 'd' => 86_400_000, _ => 604_800_000 }) * int.Parse(interval[..^1], CultureInfo.InvariantCulture);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var start = query.TryGetValue("startTime", out var s) ? long.Parse(s!, CultureInfo.InvariantCulture) : long.MinValue;
        var end = query.TryGetValue("endTime", out var e) ? long.Parse(e!, CultureInfo.InvariantCulture) : long.MaxValue;
        var limit = Math.Min(query.TryGetValue("limit", out var l) ? int.Parse(l!, CultureInfo.InvariantCulture) : 500, 1000);
        var rows = (Rows(interval, symbol) ?? []).Where(r => r.OpenTime >= start && r.OpenTime <= end && r.OpenTime <= now).ToList();
        // From startTime the oldest rows; without it the most recent.
        var page = start == long.MinValue ? rows.TakeLast(limit) : rows.Take(limit);
        var json = new StringBuilder("[");
        foreach (var (openTime, values) in page)
        {
            // The files hold no quote volume, trade count or taker volumes: sent as zeros, in their places and types.
            json.Append(json.Length > 1 ? "," : "").Append(CultureInfo.InvariantCulture, $"[{openTime},")
                .AppendJoin(",", values.Select(v => $"\"{BinanceDigits(v)}\""))
                .Append(CultureInfo.InvariantCulture, $",{openTime + length - 1},\"0.00000000\",0,\"0.00000000\",\"0.00000000\",\"0\"]");
        }

        return (200, json.Append(']').ToString(), null);
    }

    private IReadOnlyList<(long OpenTime, string[] Values)>? Rows(string interval, string symbol) =>
        _rows.GetOrAdd((interval, symbol), key =>
            _folders.TryGetValue(key.Interval, out var folder) && File.Exists(Path.Combine(folder, $"{key.Symbol}.csv.gz"))
                ? ReadRows(Path.Combine(folder, $"{key.Symbol}.csv.gz"))
                : null);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
