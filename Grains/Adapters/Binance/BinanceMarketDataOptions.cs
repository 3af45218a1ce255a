using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>The Binance market-data feed (section <c>Trading:MarketData:Binance</c>).</summary>
public sealed class BinanceMarketDataOptions : IValidatableObject
{
    public const string SectionName = "Trading:MarketData:Binance";

    /// <summary>WebSocket base: <c>Trading:Mode</c>'s (live streams in Paper and Live, the testnet's in Testnet) unless set, or a local server.</summary>
    [Required]
    public string BaseUrl { get; set; } = BinanceEndpoints.Live.MarketStreamUrl;

    private static readonly string[] DefaultSymbols = ["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"];
    private static readonly string[] DefaultStreams = ["trade", "bookTicker"];

    /// <summary>Symbols to subscribe, e.g. BTCUSDT; BTCUSDT, ETHUSDT, LTCUSDT and BNBUSDT when none are set.</summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary>
    /// Streams per symbol: <c>trade</c> (aggregated into bars by the SymbolGrain), <c>bookTicker</c>, <c>kline_1m</c>… — one
    /// bar source, trades or klines; <c>trade</c> and <c>bookTicker</c> when none are set.
    /// </summary>
    public List<string> Streams { get; set; } = [];

    // A configured list replaces the default (the configuration binder would append to a list that starts filled).
    public IReadOnlyList<string> SubscribedSymbols => Symbols.Count > 0 ? Symbols : DefaultSymbols;

    public IReadOnlyList<string> SubscribedStreams => Streams.Count > 0 ? Streams : DefaultStreams;

    /// <summary>
    /// REST base of the klines a symbol recalls when its grain is activated again (a restart, a failover): the streams'
    /// network's (<c>api.binance.com</c>, or the testnet's) unless set; none for streams on this machine or another host
    /// unless set, and then the symbol re-learns from the feed.
    /// </summary>
    public string? HistoryBaseUrl { get; set; }

    /// <summary>Where the recalled klines come from (<see cref="HistoryBaseUrl"/>), or null for none.</summary>
    public string? HistoryUrl() => HistoryBaseUrl ?? BinanceEndpoints.Classify(BaseUrl) switch
    {
        BinanceNetwork.Live => BinanceEndpoints.Live.RestBaseUrl,
        BinanceNetwork.Testnet => BinanceEndpoints.Testnet.RestBaseUrl,
        _ => null,
    };

    /// <summary>Reconnect this long after connecting, ahead of Binance's 24-hour disconnect.</summary>
    public TimeSpan ReconnectAfter { get; set; } = TimeSpan.FromHours(23.5);

    /// <summary>First delay before reconnecting after a failure; doubles (with jitter) up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The combined-stream URL for the configured symbols and streams.</summary>
    public Uri StreamUri() =>
        new($"{BaseUrl.TrimEnd('/')}/stream?streams={string.Join('/', SubscribedSymbols.SelectMany(s => SubscribedStreams.Select(stream => $"{s.ToLowerInvariant()}@{stream}")))}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SubscribedSymbols.Any(s => s.Length is < 5 or > 20 || !s.All(char.IsAsciiLetterOrDigit)))
        {
            yield return new ValidationResult("Symbols are 5–20 letters or digits", [nameof(Symbols)]);
        }

        var unknown = SubscribedStreams.Where(s => s is not ("trade" or "bookTicker") && !s.StartsWith("kline_", StringComparison.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            yield return new ValidationResult($"Unsupported streams: {string.Join(", ", unknown)} (use trade, bookTicker, kline_<interval>)", [nameof(Streams)]);
        }

        // Trades become bars in the SymbolGrain; klines are bars already: both would feed every strategy twice.
        if (SubscribedStreams.Contains("trade") && SubscribedStreams.Any(s => s.StartsWith("kline_", StringComparison.Ordinal)))
        {
            yield return new ValidationResult("Choose one bar source: trade or kline_<interval>, not both", [nameof(Streams)]);
        }

        if (Symbols.Count * Streams.Count > 1024)
        {
            yield return new ValidationResult("Binance allows at most 1024 streams per connection", [nameof(Streams)]);
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            yield return new ValidationResult($"'{BaseUrl}' is not a ws:// or wss:// URL", [nameof(BaseUrl)]);
        }
    }
}
