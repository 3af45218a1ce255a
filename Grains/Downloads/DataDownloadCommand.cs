using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Downloads;

/// <summary>
/// <c>data download --symbols BTCUSDT,ETHUSDT --interval 1m --from 2021-05-01 --to 2021-06-01 [--out data/binance-1m]
/// [--base-url https://api.binance.com] [--weight-per-minute 4800]</c>: downloads closed klines from Binance's public REST
/// API into <c>SYMBOL.csv.gz</c> files the replay and backtests read, continuing any file already there (<see cref="KlineDownload"/>).
/// Exits 0 when every symbol is complete, 1 when stopped before the end (run it again to continue), 2 on bad arguments.
/// </summary>
public static class DataDownloadCommand
{
    public const string Name = "data";

    public const string Usage =
        "usage: data download --symbols BTCUSDT,ETHUSDT --interval 1m --from 2021-05-01 --to 2021-06-01 [--out data/binance-INTERVAL] " +
        "[--base-url https://api.binance.com] [--weight-per-minute 4800]";

    /// <summary>Binance's REQUEST_WEIGHT limit, per IP and minute (enums.md, "Rate limiters").</summary>
    public const int BinanceWeightPerMinute = 6_000;

    /// <summary>80 % of Binance's limit: the rest is left to anything else on this IP (a trading silo shares it).</summary>
    public const int DefaultWeightPerMinute = 4_800;

    private static readonly string[] Options = ["symbols", "interval", "from", "to", "out", "base-url", "weight-per-minute"];

    /// <param name="time">The clock the client waits on (rate-limit holds, retries, timeouts).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        if (args.FirstOrDefault() != "download" || args.Length % 2 == 0 || args.Where((_, i) => i % 2 == 1).Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            output.WriteLine(Usage);
            return 2;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            options[args[i][2..]] = args[i + 1];
        }

        var (request, baseUrl, errors) = Parse(options);
        if (errors.Count > 0)
        {
            errors.ForEach(e => output.WriteLine($"error: {e}"));
            output.WriteLine(Usage);
            return 2;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Downloading {request!.Interval} klines of {string.Join(", ", request.Symbols)} opening from {request.From:u} to before {request.To:u} " +
            $"from {baseUrl} into {request.Folder}, within {request.WeightPerMinute} request weight a minute"));
        using var client = new BinanceRestClient(BinanceKlineSource.ClientOptions(baseUrl, request.WeightPerMinute), time, NullLogger.Instance);
        try
        {
            // Binance's clock says which candles have closed.
            await client.SyncTimeAsync(force: true, cancellationToken);
            await new KlineDownload(client, request, output).RunAsync(cancellationToken);
            return 0;
        }
        catch (KlineDownloadRefusedException e)
        {
            e.Reasons.ToList().ForEach(reason => output.WriteLine($"error: {reason}"));
            return 2;
        }
        catch (BinanceRequestFailedException e) when (e.Code == BinanceErrors.InvalidSymbol)
        {
            output.WriteLine($"error: {e.Message}: check --symbols; the symbols before it are complete");
            return 2;
        }
        catch (BinanceBannedException e)
        {
            output.WriteLine($"stopped: Binance banned this IP until {e.Until:u} (418, after too many requests); run the same command after then to continue");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("stopped; run the same command again to continue");
            return 1;
        }
        catch (Exception e) when (e is BinanceRequestFailedException or HttpRequestException or BrokenCircuitException or TimeoutRejectedException
                                      or FormatException or IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"stopped: {e.Message}; run the same command again to continue");
            return 1;
        }
    }

    private static (KlineDownloadRequest? Request, string BaseUrl, List<string> Errors) Parse(Dictionary<string, string> options)
    {
        var errors = options.Keys.Where(k => !Options.Contains(k)).Select(k => $"unknown option --{k}").ToList();
        string Required(string name)
        {
            if (!options.TryGetValue(name, out var value))
            {
                errors.Add($"--{name} is required");
            }

            return value ?? "";
        }

        var symbols = Required("symbols").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ExchangeSymbol.Normalize).Distinct(StringComparer.Ordinal).ToList();
        errors.AddRange(symbols.Where(s => !ExchangeSymbol.IsValid(s)).Select(s => $"--symbols: {ExchangeSymbol.Refusal(s)}"));
        if (options.ContainsKey("symbols") && symbols.Count == 0)
        {
            errors.Add("--symbols names no symbol");
        }

        var interval = Required("interval");
        if (options.ContainsKey("interval") && !BinanceKlineIntervals.FixedLength.ContainsKey(interval))
        {
            errors.Add(interval == BinanceKlineIntervals.Month
                ? "--interval 1M: calendar months differ in length, and the replay and backtests need bars of one length; take 1w or shorter"
                : $"--interval '{interval}' is not a Binance kline interval: one of {string.Join(", ", BinanceKlineIntervals.FixedLength.Keys)}");
        }

        var from = Date("from", Required("from"), errors);
        var to = Date("to", Required("to"), errors);
        if (from is { } start && to is { } end && start >= end)
        {
            errors.Add($"--from {start:u} is not before --to {end:u}");
        }

        var baseUrl = options.GetValueOrDefault("base-url") ?? BinanceEndpoints.Live.RestBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"--base-url '{baseUrl}' is not an http(s) URL");
        }

        var weight = DefaultWeightPerMinute;
        if (options.TryGetValue("weight-per-minute", out var weightText)
            && (!int.TryParse(weightText, NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight is < 1 or > BinanceWeightPerMinute))
        {
            errors.Add($"--weight-per-minute '{weightText}' is not a whole number from 1 to {BinanceWeightPerMinute} (Binance's limit a minute)");
        }

        var folder = PathResolver.ForOutput(options.GetValueOrDefault("out") ?? $"data/binance-{interval}");
        return errors.Count > 0
            ? (null, baseUrl, errors)
            : (new KlineDownloadRequest(symbols, interval, from!.Value, to!.Value, folder, weight), baseUrl, errors);
    }

    /// <summary>A date or instant, UTC unless it says otherwise (2021-05-01, 2021-05-01T12:00Z); null after noting why not.</summary>
    private static DateTimeOffset? Date(string name, string text, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors.Add($"--{name} '{text}' is not a date (2021-05-01, or an instant such as 2021-05-01T12:00Z)");
        return null;
    }
}
