using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// The Binance spot venue (section <c>Trading:Broker:Binance</c>). Keys come from configuration or the environment
/// (<c>Trading__Broker__Binance__ApiKey</c>, <c>…__SecretKey</c>); they are never logged.
/// </summary>
public sealed class BinanceBrokerOptions : IValidatableObject
{
    public const string SectionName = "Trading:Broker:Binance";

    /// <summary>Adds Binance to the venues execution routes to.</summary>
    public bool Enabled { get; set; }

    /// <summary>REST base: <c>Trading:Mode</c>'s (testnet or live, see <see cref="BinanceEndpoints"/>) unless set, or a local server.</summary>
    [Required]
    public string RestBaseUrl { get; set; } = BinanceEndpoints.Testnet.RestBaseUrl;

    /// <summary>WebSocket API, where the user-data stream is subscribed: <c>Trading:Mode</c>'s unless set, or a local server.</summary>
    [Required]
    public string WebSocketApiUrl { get; set; } = BinanceEndpoints.Testnet.WebSocketApiUrl;

    public string ApiKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>
    /// How long a signed request stays valid (ms, at most 60,000). It also bounds how long a lost order request can
    /// still reach the matching engine: after it, "no such order" is final and the order may be sent again.
    /// </summary>
    [Range(1, 60_000)]
    public int RecvWindowMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// Per-request timeout, from the send (time spent waiting out a rate-limit hold is not in it); a timed-out order
    /// request has an unknown outcome and is resolved by query.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A 429's Retry-After up to this long is waited out in the order path; longer ones reject the order.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfterWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts for safe requests (queries, exchange info, server time); order placement is never retried blindly.</summary>
    [Range(1, 10)]
    public int SafeRequestAttempts { get; set; } = 3;

    /// <summary>First backoff between safe attempts; doubles with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Circuit breaker: share of failed requests (5xx, timeouts, network) over the sampling window that opens it.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit keeps the venue out of routing before one trial request.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>REQUEST_WEIGHT per minute (Binance's is 6,000): when a response reports it used up, requests wait for the next minute.</summary>
    [Range(1, 1_000_000)]
    public int WeightPerMinute { get; set; } = 6_000;

    /// <summary>ORDERS per 10 seconds (Binance's is 50).</summary>
    [Range(1, 100_000)]
    public int OrdersPerTenSeconds { get; set; } = 50;

    /// <summary>Taker fee the router compares venues with, in basis points.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal FeeBps { get; set; } = 10m;

    /// <summary>Expected market-order slippage the router assumes, in basis points.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal SlippageBps { get; set; } = 1m;

    private static readonly string[] DefaultSymbols = ["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"];

    /// <summary>
    /// Symbols traded on Binance: their exchange filters are loaded at start, and their open orders are reconciled when the
    /// user-data stream (re)subscribes; BTCUSDT, ETHUSDT, LTCUSDT and BNBUSDT when none are set.
    /// </summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary><see cref="Symbols"/>, or the default four (a configured list replaces them; the binder would append to a filled one).</summary>
    public IReadOnlyList<string> TradedSymbols => Symbols.Count > 0 ? Symbols : DefaultSymbols;

    /// <summary>
    /// How often the exchange rules (exchangeInfo: filters and trading status) of the symbols traded so far are read
    /// again, so a changed filter or a halted symbol is seen; they are also read again at once after Binance rejects an
    /// order for a filter failure.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExchangeInfoRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay before reconnecting the user-data stream after a failure; doubles with jitter up to a minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan StreamReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ApiKey) || string.IsNullOrWhiteSpace(SecretKey))
        {
            yield return new ValidationResult("Binance needs ApiKey and SecretKey (set Trading__Broker__Binance__ApiKey and __SecretKey in the environment).",
                [nameof(ApiKey), nameof(SecretKey)]);
        }

        if (!Uri.TryCreate(RestBaseUrl, UriKind.Absolute, out var rest) || rest.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"'{RestBaseUrl}' is not an http(s) URL", [nameof(RestBaseUrl)]);
        }

        if (!Uri.TryCreate(WebSocketApiUrl, UriKind.Absolute, out var ws) || ws.Scheme is not ("ws" or "wss"))
        {
            yield return new ValidationResult($"'{WebSocketApiUrl}' is not a ws:// or wss:// URL", [nameof(WebSocketApiUrl)]);
        }
    }
}
