using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>A Binance REST answer: status, parsed body (null when the body is not JSON), error code and Retry-After.</summary>
public sealed record BinanceResponse(HttpStatusCode Status, JsonElement? Body, int? Code, string? Message, TimeSpan? RetryAfter)
{
    /// <summary>When the request that got this answer was sent (a retried request: its last attempt).</summary>
    public DateTimeOffset SentAt { get; init; }

    /// <summary>When this answer was read.</summary>
    public DateTimeOffset AnsweredAt { get; init; }

    /// <summary><c>X-MBX-USED-WEIGHT-1M</c>: the request weight this IP has used in the current minute, this request's included.</summary>
    public long? UsedWeight { get; init; }

    public bool IsSuccess => (int)Status is >= 200 and < 300 && Body is not null;

    /// <summary>5xx, Binance's own timeout (-1007) or an unreadable body: the request may or may not have been executed.</summary>
    public bool IsOutcomeUnknown => (int)Status >= 500 || Code == BinanceErrors.Timeout || Body is null;
}

/// <summary>
/// Signed and public requests to Binance's REST API through one Polly pipeline per kind: safe requests (GET) retry
/// with exponential backoff and jitter on 5xx, timeouts, network errors and unreadable bodies; order placement is
/// never retried here (its caller resolves an unknown outcome by query). Both share one circuit breaker and a
/// per-request timeout, which runs from the send (a request waiting out a rate-limit hold was not sent). It keeps the server-time offset, and honours Binance's limits: a used-up weight or order
/// count (response headers) holds requests until the window turns, 429 holds for its Retry-After, and 418 (IP ban)
/// stops all requests until the ban ends.
/// </summary>
public sealed class BinanceRestClient : IDisposable
{
    private static readonly TimeSpan TimeSyncEvery = TimeSpan.FromMinutes(10);

    private readonly BinanceBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline<BinanceResponse> _safe;
    private readonly ResiliencePipeline<BinanceResponse> _once;
    private TimeSpan _serverOffset;
    private DateTimeOffset _lastSync = DateTimeOffset.MinValue;
    private long _heldUntilTicks;
    private long _bannedUntilTicks;
    private long _trialAfterTicks;

    public BinanceRestClient(BinanceBrokerOptions options, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(options.RestBaseUrl.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's timeout governs
        };
        // Public endpoints (klines, time) need no key: a client without one sends no key header rather than an empty one.
        if (options.ApiKey.Length > 0)
        {
            _http.DefaultRequestHeaders.Add("X-MBX-APIKEY", options.ApiKey);
        }

        var failure = new PredicateBuilder<BinanceResponse>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r.IsOutcomeUnknown);
        var breaker = new CircuitBreakerStrategyOptions<BinanceResponse>
        {
            ShouldHandle = failure,
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            StateProvider = _circuit,
            OnOpened = args =>
            {
                Interlocked.Exchange(ref _trialAfterTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                _logger.LogError("Binance circuit opened after repeated failures: no new orders go there for {Break}", options.CircuitBreakDuration);
                return ValueTask.CompletedTask;
            },
        };
        // One circuit for every request to the venue; safe requests retry around it. The request timeout is not a
        // strategy here: it starts once a rate-limit hold is waited out (see SendAsync).
        _once = new ResiliencePipelineBuilder<BinanceResponse> { TimeProvider = time }
            .AddCircuitBreaker(breaker)
            .Build();
        _safe = new ResiliencePipelineBuilder<BinanceResponse> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<BinanceResponse>
            {
                ShouldHandle = failure,
                MaxRetryAttempts = options.SafeRequestAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
            })
            .AddPipeline(_once)
            .Build();
    }

    /// <summary>
    /// Requests can be sent: no ban is running, and the circuit is closed or its break is over (Polly moves an open
    /// circuit to half-open only when a request tries, so the trial must be let through).
    /// </summary>
    public bool IsAvailable
    {
        get
        {
            var now = _time.GetUtcNow();
            var circuitAllows = _circuit.CircuitState switch
            {
                CircuitState.Isolated => false,
                CircuitState.Open => now.UtcTicks >= Interlocked.Read(ref _trialAfterTicks),
                _ => true,
            };
            return circuitAllows && now >= BannedUntil;
        }
    }

    public CircuitState CircuitState => _circuit.CircuitState;

    /// <summary>End of the current IP ban (418); in the past when there is none.</summary>
    public DateTimeOffset BannedUntil => new(Interlocked.Read(ref _bannedUntilTicks), TimeSpan.Zero);

    private DateTimeOffset HeldUntil => new(Interlocked.Read(ref _heldUntilTicks), TimeSpan.Zero);

    /// <summary>Binance's clock as best known (local clock plus the measured offset).</summary>
    public DateTimeOffset ServerNow => _time.GetUtcNow() + _serverOffset;

    /// <summary>A GET that may be repeated freely (retried on failure).</summary>
    public Task<BinanceResponse> GetAsync(string path, IEnumerable<KeyValuePair<string, string>> parameters, bool signed, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, parameters, signed, _safe, null, cancellationToken);

    /// <summary>
    /// A request that changes state at the venue (new order): sent once, whatever happens. <paramref name="signedAt"/>
    /// learns the timestamp it was signed with, from which its recvWindow runs.
    /// </summary>
    public Task<BinanceResponse> SendOnceAsync(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters, Action<DateTimeOffset> signedAt, CancellationToken cancellationToken) =>
        SendAsync(method, path, parameters, signed: true, _once, signedAt, cancellationToken);

    /// <summary>Measures the offset to Binance's clock when it has not been measured for a while (or when forced after -1021).</summary>
    public async Task SyncTimeAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && _time.GetUtcNow() - _lastSync < TimeSyncEvery)
        {
            return;
        }

        var response = await GetAsync("api/v3/time", [], signed: false, cancellationToken);
        if (response is { IsSuccess: true, Body: { } body })
        {
            // Binance read its clock about halfway through the round trip of the attempt that answered (not from the
            // first attempt's send: a failed or slow one before it would skew the estimate by half its time).
            var server = DateTimeOffset.FromUnixTimeMilliseconds(body.GetProperty("serverTime").GetInt64());
            _serverOffset = server - (response.SentAt + (response.AnsweredAt - response.SentAt) / 2);
            _lastSync = response.AnsweredAt;
        }
    }

    private async Task<BinanceResponse> SendAsync(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters, bool signed, ResiliencePipeline<BinanceResponse> pipeline,
        Action<DateTimeOffset>? signedAt, CancellationToken cancellationToken)
    {
        var fixedParameters = parameters.ToArray();
        return await pipeline.ExecuteAsync(async token =>
        {
            // A request held by a rate limit was not sent: its timeout, and its recvWindow, start after the hold.
            await WaitForLimits(token);
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            try
            {
                return await Send(method, path, fixedParameters, signed, signedAt, sending.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
            {
                throw new TimeoutRejectedException($"Binance did not answer within {_options.RequestTimeout}", _options.RequestTimeout);
            }
        }, cancellationToken);
    }

    /// <summary>One request, signed now when it is signed, and what its answer says about limits.</summary>
    private async Task<BinanceResponse> Send(
        HttpMethod method, string path, KeyValuePair<string, string>[] fixedParameters, bool signed, Action<DateTimeOffset>? signedAt, CancellationToken token)
    {
        var timestamp = ServerNow;
        signedAt?.Invoke(timestamp);
        var query = BinanceSignature.QueryString(signed
            ? [.. fixedParameters, new("recvWindow", _options.RecvWindowMilliseconds.ToString(CultureInfo.InvariantCulture)), new("timestamp", timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]
            : fixedParameters);
        if (signed)
        {
            query += $"&signature={BinanceSignature.Sign(_options.SecretKey, query)}";
        }

        using var request = new HttpRequestMessage(method, query.Length == 0 ? path : $"{path}?{query}");
        var sentAt = _time.GetUtcNow();
        using var response = await _http.SendAsync(request, token);
        var text = await response.Content.ReadAsStringAsync(token);
        var result = Read(response, text) with { SentAt = sentAt, AnsweredAt = _time.GetUtcNow(), UsedWeight = Header(response, "X-MBX-USED-WEIGHT-1M") };
        Observe(response, result);
        return result;
    }

    /// <summary>
    /// Waits out a rate-limit hold before a request, looking again after each wait: another answer (a 429 with a longer
    /// Retry-After, a weight header at its limit) may have extended the hold meanwhile, and a request sent inside it
    /// is what Binance answers with a 418 ban.
    /// </summary>
    private async Task WaitForLimits(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        while (true)
        {
            var now = _time.GetUtcNow();
            if (now < BannedUntil)
            {
                throw new BinanceBannedException(BannedUntil);
            }

            var wait = HeldUntil - now;
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            // Time actually waited, not the sum of the waits asked for: a timer that wakes a little early leaves a rest.
            var waited = now - started;
            if (waited + wait > _options.MaxRetryAfterWait)
            {
                throw new BinanceRateLimitedException(HeldUntil, now, waited);
            }

            // Rounded up to a whole millisecond: timers count whole ones, and a rest below one would return at once and
            // spin here.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, cancellationToken);
        }
    }

    private static BinanceResponse Read(HttpResponseMessage response, string text)
    {
        JsonElement? body = null;
        int? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
            if (body.Value.ValueKind == JsonValueKind.Object && body.Value.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number)
            {
                code = c.GetInt32();
                message = body.Value.TryGetProperty("msg", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Left null: the caller treats an unreadable answer as an unknown outcome.
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new BinanceResponse(response.StatusCode, body, code, message, retryAfter);
    }

    /// <summary>Applies what the response says about limits: used weight and order counts, 429 back-off, 418 ban.</summary>
    private void Observe(HttpResponseMessage response, BinanceResponse result)
    {
        var now = _time.GetUtcNow();
        if (result.Status == (HttpStatusCode)418)
        {
            var until = now + (result.RetryAfter ?? TimeSpan.FromMinutes(2));
            Interlocked.Exchange(ref _bannedUntilTicks, until.UtcTicks);
            _logger.LogError("Binance banned this IP until {Until} (418): nothing is sent there until then", until);
            return;
        }

        if (result.Status == HttpStatusCode.TooManyRequests)
        {
            Hold(now + (result.RetryAfter ?? TimeSpan.FromSeconds(1)));
            _logger.LogWarning("Binance rate limit hit (429): holding requests for {RetryAfter}", result.RetryAfter);
            return;
        }

        if (result.UsedWeight >= _options.WeightPerMinute)
        {
            Hold(new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1));
        }

        if (Header(response, "X-MBX-ORDER-COUNT-10S") >= _options.OrdersPerTenSeconds)
        {
            var window = TimeSpan.TicksPerSecond * 10;
            Hold(new DateTimeOffset(now.UtcTicks - now.UtcTicks % window + window, TimeSpan.Zero));
        }
    }

    private void Hold(DateTimeOffset until)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _heldUntilTicks);
        }
        while (until.UtcTicks > current && Interlocked.CompareExchange(ref _heldUntilTicks, until.UtcTicks, current) != current);
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var value) ? value : null;

    public void Dispose() => _http.Dispose();
}

/// <summary>Binance banned this IP (418): nothing may be sent until <see cref="Until"/>.</summary>
public sealed class BinanceBannedException(DateTimeOffset until) : Exception($"Binance banned this IP until {until:O} (418)")
{
    public DateTimeOffset Until { get; } = until;
}

/// <summary>A rate limit holds requests longer than the order path may wait.</summary>
public sealed class BinanceRateLimitedException(DateTimeOffset until, DateTimeOffset now, TimeSpan waited)
    : Exception($"Binance rate limit: requests held until {until:O}, {(until - now).TotalMilliseconds:F0} ms more after {waited.TotalMilliseconds:F0} ms waited")
{
    public DateTimeOffset Until { get; } = until;
}
