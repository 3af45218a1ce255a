using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// Binance spot as a venue: MARKET, LIMIT (GTC, IOC, FOK) and LIMIT_MAKER orders with a deterministic
/// <c>newClientOrderId</c>, exchange filters applied before sending (rules refreshed every
/// <see cref="BinanceBrokerOptions.ExchangeInfoRefreshInterval"/> and at once when Binance says they are out of date),
/// fills from the FULL response, the user-data stream and queries.
/// </summary>
/// <remarks>
/// No duplicate and no lost order: an order request is sent once. When its outcome is unknown (timeout, network
/// error, 5xx, -1007, unreadable answer) the order is looked up by client order id. Found: its state and fills are
/// the answer. Not found: Binance rejects a request once its <c>recvWindow</c> has passed since its
/// <c>timestamp</c>, even just before the matching engine, so after that "no such order" is final and the same id
/// is sent again; before that, the order is reported with an unknown outcome (status New) and execution keeps
/// querying. Nothing is guessed. An id is never sent again once Binance may have it: Binance refuses a repeated
/// client order id only while its first order is open, so idempotency is kept here, not by the venue.
/// <para>
/// A placement can take seconds (lookups, the recvWindow wait, a Retry-After): its work runs on the thread pool, never
/// on the caller's scheduler, and while it is under way a query of its id answers "not known yet" (null), never "never
/// placed". A cancel of an id being placed stops it from being sent again; a request already sent can still trade,
/// and the placement's answer then reports it.
/// </para>
/// </remarks>
public sealed partial class BinanceBroker : IBroker, IDisposable
{
    public const string VenueName = "binance";

    /// <summary>Sends of one order at most: after that an unresolved outcome is left to execution's queries.</summary>
    private const int MaxSendAttempts = 3;

    private const int InvalidTimestamp = -1021;

    /// <summary>
    /// How long the price PERCENT_PRICE filters compare a limit order with is reused. Binance's average moves slowly (a
    /// 5-minute VWAP shifts by a small part of the last seconds' moves) and the filters' ranges are wide (tens of percent),
    /// so a few seconds' staleness matters only at a range's very edge, where Binance's own check stays the backstop
    /// (its -1013 refreshes it); asking before every order would cost a round trip and 2–4 request weight each.
    /// </summary>
    private static readonly TimeSpan AveragePriceMaxAge = TimeSpan.FromSeconds(5);

    private readonly BinanceBrokerOptions _options;
    private readonly BinanceRestClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<BinanceBroker> _logger;
    private readonly ConcurrentDictionary<string, BinanceSymbolRules> _rules = new(StringComparer.Ordinal);

    /// <summary>Venue client order id → ours, for reports on the user-data stream.</summary>
    private readonly ConcurrentDictionary<string, string> _ourIds = new(StringComparer.Ordinal);

    /// <summary>Our client order id → the Binance timestamp of its last send: until its recvWindow passes, it may still arrive.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    /// <summary>Our client order ids whose placement is under way here, from its start to its answer; true once a cancel was asked for.</summary>
    private readonly ConcurrentDictionary<string, bool> _placing = new(StringComparer.Ordinal);

    /// <summary>Symbol → the price its PERCENT_PRICE filters compare with, and when it was read.</summary>
    private readonly ConcurrentDictionary<string, (BinanceAveragePrice Price, DateTimeOffset ReadAt)> _averagePrices = new(StringComparer.Ordinal);

    private readonly ITimer _rulesRefresh;
    private int _refreshingRules;

    public BinanceBroker(BinanceBrokerOptions options, TimeProvider time, ILogger<BinanceBroker> logger, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _client = new BinanceRestClient(options, time, logger, handler);
        Terms = new VenueTerms(options.FeeBps, options.SlippageBps, 0, 0);
        _rulesRefresh = time.CreateTimer(_ => _ = RefreshAllRules(), null, options.ExchangeInfoRefreshInterval, options.ExchangeInfoRefreshInterval);
    }

    public string Name => VenueName;

    public VenueTerms Terms { get; }

    public bool IsAvailable => _client.IsAvailable;

    public BinanceRestClient Client => _client;

    /// <summary>
    /// Binance allows <c>^[.A-Z:/a-z0-9_-]{1,36}$</c>. Our ids fit as they are when short enough; a longer one maps
    /// to a stable hash, so a retry after a restart still finds the order.
    /// </summary>
    public static string VenueClientOrderId(string clientOrderId) =>
        ValidClientOrderId().IsMatch(clientOrderId)
            ? clientOrderId
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientOrderId)))[..34];

    /// <summary>Our client order id for a venue one this process sent (null for one it does not know).</summary>
    public string? OurClientOrderId(string venueClientOrderId) =>
        _ourIds.TryGetValue(venueClientOrderId, out var ours) ? ours : ValidClientOrderId().IsMatch(venueClientOrderId) ? venueClientOrderId : null;

    public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        // Marked before the caller gets the task back, so a query right after it already sees the placement under way.
        if (!_placing.TryAdd(request.ClientOrderId, false))
        {
            return Task.FromResult(new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], "already being placed; execution keeps querying binance", _time.GetUtcNow()));
        }

        return Task.Run(async () =>
        {
            try
            {
                return await Place(request, cancellationToken);
            }
            finally
            {
                _placing.TryRemove(request.ClientOrderId, out _);
            }
        }, CancellationToken.None);
    }

    private async Task<OrderAck> Place(OrderRequest request, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
        {
            return Rejected(request, Unavailable());
        }

        if (request.Limit is { Type: not (OrderType.Limit or OrderType.LimitMaker) } terms)
        {
            return Rejected(request, $"not sent to binance: limit terms of type {terms.Type} (a market order carries none)");
        }

        BinanceSymbolRules rules;
        BinanceAveragePrice? averagePrice = null;
        try
        {
            await _client.SyncTimeAsync(force: false, cancellationToken);
            rules = await Rules(request.Symbol, cancellationToken);
            if (request.Limit is not null && rules.NeedsAveragePrice)
            {
                averagePrice = await AveragePrice(request.Symbol, cancellationToken);
            }
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            return Rejected(request, $"not sent to binance: exchange rules unavailable ({e.Message})");
        }

        decimal? quantity;
        decimal price = 0;
        string? problem;
        if (request.Limit is { } limit)
        {
            (quantity, price, problem) = rules.PrepareLimit(request.Side, request.Quantity, limit.Price, averagePrice);
        }
        else
        {
            (quantity, problem) = rules.Prepare(request.Quantity, request.ReferencePrice);
        }

        if (quantity is not { } sendQuantity)
        {
            return Rejected(request, problem!);
        }

        var venueId = VenueClientOrderId(request.ClientOrderId);
        _ourIds[venueId] = request.ClientOrderId;
        if (_lastSent.ContainsKey(request.ClientOrderId))
        {
            // Sent before: Binance refuses a repeated client order id only while the first order is still open, so a
            // second send of a filled or expired order would trade again. Its answer is the order as Binance has it.
            return await Resend(request, rules, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (_placing.TryGetValue(request.ClientOrderId, out var cancelAsked) && cancelAsked)
            {
                // Binance does not have it (never sent, or its earlier request can no longer arrive): it is not sent now.
                return new OrderAck(request.ClientOrderId, "", OrderStatus.Cancelled, [], "cancelled before binance received it; not sent", _time.GetUtcNow(), VenueFilledQuantity: 0);
            }

            string unknownBecause;
            try
            {
                var response = await _client.SendOnceAsync(HttpMethod.Post, "api/v3/order", NewOrderParameters(request, sendQuantity, price, venueId),
                    signedAt => _lastSent[request.ClientOrderId] = signedAt, cancellationToken);

                if (response is { IsSuccess: true, Code: null })
                {
                    return FromOrder(request, response.Body!.Value, FillsOf(response.Body.Value, request, rules));
                }

                if (response.Status == System.Net.HttpStatusCode.TooManyRequests)
                {
                    // Not executed: a 429 is refused before the matching engine. The client holds for Retry-After.
                    if (attempt == 1 && (response.RetryAfter ?? TimeSpan.Zero) <= _options.MaxRetryAfterWait)
                    {
                        continue;
                    }

                    return Rejected(request, $"binance rate limit (429): retry after {response.RetryAfter?.TotalSeconds ?? 1} s; not sent");
                }

                if (response.Status == (System.Net.HttpStatusCode)418)
                {
                    return Rejected(request, $"binance banned this IP until {_client.BannedUntil:O} (418); not sent");
                }

                if (!response.IsOutcomeUnknown && !(response.Code == BinanceErrors.NewOrderRejected && response.Message?.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) == true))
                {
                    if (response.Code == InvalidTimestamp)
                    {
                        // Refused before the matching engine: our clock estimate was off. Measured again, the order
                        // goes once more under its id.
                        await _client.SyncTimeAsync(force: true, cancellationToken);
                        if (attempt == 1)
                        {
                            continue;
                        }
                    }

                    if (BinanceErrors.ShowsRulesOutOfDate(response.Code, response.Message))
                    {
                        // Our copy of the symbol's filters or status is older than Binance's: read them again before
                        // the next order of the symbol.
                        await RefreshRules(request.Symbol, cancellationToken);
                    }

                    return Rejected(request, BinanceErrors.Describe(response.Code ?? 0, response.Message), BinanceErrors.WouldTake(response.Code, response.Message));
                }

                unknownBecause = response.Code is { } code ? BinanceErrors.Describe(code, response.Message) : $"HTTP {(int)response.Status} with an unreadable body";
            }
            catch (Exception e) when (e is BrokenCircuitException or BinanceBannedException or BinanceRateLimitedException)
            {
                return Rejected(request, $"not sent to binance: {e.Message}");
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
            {
                unknownBecause = e is TimeoutRejectedException ? $"no answer within {_options.RequestTimeout.TotalMilliseconds} ms" : $"network error ({e.Message})";
            }

            _logger.LogWarning("{ClientOrderId}: outcome unknown ({Why}); looking the order up at binance", request.ClientOrderId, unknownBecause);
            var (found, absent) = await Lookup(request, rules, cancellationToken);
            if (absent && !MaySendAgain(request))
            {
                // The lost request may still be on its way: ask again once its recvWindow has closed.
                var wait = WindowCloses(request) - _client.ServerNow;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken);
                (found, absent) = await Lookup(request, rules, cancellationToken);
            }

            if (found is not null)
            {
                return found;
            }

            if (!absent || attempt >= MaxSendAttempts)
            {
                return new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], $"outcome unknown ({unknownBecause}); execution keeps querying binance", _time.GetUtcNow(),
                    OrderedQuantity: sendQuantity);
            }

            _logger.LogWarning("{ClientOrderId}: binance never received it; sending it again with the same client order id", request.ClientOrderId);
        }
    }

    /// <summary>
    /// The new-order parameters, in the order Binance documents them: MARKET with a quantity; LIMIT with its
    /// timeInForce, quantity and price; LIMIT_MAKER with quantity and price (it always rests, and Binance refuses a
    /// timeInForce on it). Every answer is FULL, with its fills.
    /// </summary>
    private static KeyValuePair<string, string>[] NewOrderParameters(OrderRequest request, decimal quantity, decimal price, string venueId)
    {
        List<KeyValuePair<string, string>> parameters = [new("symbol", request.Symbol), new("side", request.Side == OrderSide.Buy ? "BUY" : "SELL")];
        switch (request.Limit?.Type)
        {
            case OrderType.Limit:
                parameters.Add(new("type", "LIMIT"));
                parameters.Add(new("timeInForce", request.Limit.TimeInForce switch { TimeInForce.Ioc => "IOC", TimeInForce.Fok => "FOK", _ => "GTC" }));
                break;
            case OrderType.LimitMaker:
                parameters.Add(new("type", "LIMIT_MAKER"));
                break;
            default:
                parameters.Add(new("type", "MARKET"));
                break;
        }

        parameters.Add(new("quantity", Format(quantity)));
        if (request.Limit is not null)
        {
            parameters.Add(new("price", Format(price)));
        }

        parameters.Add(new("newClientOrderId", venueId));
        parameters.Add(new("newOrderRespType", "FULL"));
        return [.. parameters];
    }

    /// <summary>
    /// A request for an id this process sent before: the order as Binance has it, or — when Binance has no such order and
    /// the earlier request can no longer arrive — an unknown outcome that execution's queries settle, never a second send.
    /// </summary>
    private async Task<OrderAck> Resend(OrderRequest request, BinanceSymbolRules rules, CancellationToken cancellationToken)
    {
        var (found, _) = await Lookup(request, rules, cancellationToken);
        return found ?? new OrderAck(request.ClientOrderId, "", OrderStatus.New, [], "sent before and not found at binance yet; execution keeps querying", _time.GetUtcNow());
    }

    public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => Query(request, cancellationToken), CancellationToken.None);

    private async Task<OrderAck?> Query(OrderRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var rules = await Rules(request.Symbol, cancellationToken);
            var (found, absent) = await Lookup(request, rules, cancellationToken);
            return found ?? (absent && !_placing.ContainsKey(request.ClientOrderId) && MaySendAgain(request)
                ? new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], "binance has no such order and its request can no longer arrive: it was never placed", _time.GetUtcNow())
                : null);
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            _logger.LogWarning("{ClientOrderId}: binance could not be asked ({Error}); will ask again", request.ClientOrderId, e.Message);
            return null;
        }
    }

    /// <summary>
    /// DELETE /api/v3/order by client order id. Whatever the answer (cancelled, or -2011 because it had already
    /// ended or has not arrived), the order is then looked up, so the report carries its final state and every fill.
    /// An order still being placed is not sent again after this (its placement answers it cancelled when Binance does
    /// not have it); when Binance does not have it yet the answer is null and the order is still queried.
    /// </summary>
    public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        _placing.TryUpdate(request.ClientOrderId, true, false);
        return Task.Run(() => Cancel(request, cancellationToken), CancellationToken.None);
    }

    private async Task<OrderAck?> Cancel(OrderRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var rules = await Rules(request.Symbol, cancellationToken);
            var response = await _client.SendOnceAsync(HttpMethod.Delete, "api/v3/order",
                [new("symbol", request.Symbol), new("origClientOrderId", VenueClientOrderId(request.ClientOrderId))], _ => { }, cancellationToken);
            if (response.Code is { } code)
            {
                _logger.LogInformation("{ClientOrderId}: cancel answered {Reason}", request.ClientOrderId, BinanceErrors.Describe(code, response.Message));
            }

            return (await Lookup(request, rules, cancellationToken)).Found;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            _logger.LogWarning("{ClientOrderId}: the cancel could not be sent ({Error}); the order is still queried", request.ClientOrderId, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The order by client order id with every fill. Not found: <c>Absent</c> when Binance answered "no such order"
    /// (-2013), otherwise it could not be asked and nothing is known.
    /// </summary>
    private async Task<(OrderAck? Found, bool Absent)> Lookup(OrderRequest request, BinanceSymbolRules rules, CancellationToken cancellationToken)
    {
        var venueId = VenueClientOrderId(request.ClientOrderId);
        BinanceResponse order;
        try
        {
            KeyValuePair<string, string>[] parameters = [new("symbol", request.Symbol), new("origClientOrderId", venueId)];
            order = await _client.GetAsync("api/v3/order", parameters, signed: true, cancellationToken);
            if (order.Code == InvalidTimestamp)
            {
                // Our clock drifted from Binance's (or the request was slow): measure again and ask once more.
                await _client.SyncTimeAsync(force: true, cancellationToken);
                order = await _client.GetAsync("api/v3/order", parameters, signed: true, cancellationToken);
            }
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            _logger.LogWarning("{ClientOrderId}: the lookup failed ({Error})", request.ClientOrderId, e.Message);
            return (null, false);
        }

        if (!order.IsSuccess || order.Code is not null)
        {
            if (order.Code != BinanceErrors.NoSuchOrder)
            {
                _logger.LogWarning("{ClientOrderId}: the lookup was answered {Status} {Code}", request.ClientOrderId, (int)order.Status, order.Code);
            }

            return (null, order.Code == BinanceErrors.NoSuchOrder);
        }

        var body = order.Body!.Value;
        var executed = Decimal(body, "executedQty");
        IReadOnlyList<Fill> fills = [];
        if (executed > 0)
        {
            try
            {
                var trades = await _client.GetAsync("api/v3/myTrades",
                    [new("symbol", request.Symbol), new("orderId", body.GetProperty("orderId").GetInt64().ToString(CultureInfo.InvariantCulture))], signed: true, cancellationToken);
                if (trades is { IsSuccess: true, Code: null, Body: { ValueKind: JsonValueKind.Array } rows })
                {
                    fills = [.. rows.EnumerateArray().Select(t => ToFill(request, rules, t.GetProperty("id").GetInt64(), Decimal(t, "qty"), Decimal(t, "price"),
                        Decimal(t, "commission"), t.GetProperty("commissionAsset").GetString(), DateTimeOffset.FromUnixTimeMilliseconds(t.GetProperty("time").GetInt64())))];
                }
            }
            catch (Exception e) when (IsTransportFailure(e))
            {
                // The order's state is known; its fills will be fetched on the next poll (the report says how many are missing).
                _logger.LogWarning("{ClientOrderId}: fills could not be fetched ({Error})", request.ClientOrderId, e.Message);
            }
        }

        return (FromOrder(request, body, fills), false);
    }

    /// <summary>True once the last request for this order can no longer reach the matching engine (its recvWindow has passed).</summary>
    private bool MaySendAgain(OrderRequest request) => _client.ServerNow > WindowCloses(request);

    /// <summary>
    /// When the last request for this order stops being able to reach the matching engine: its timestamp plus
    /// recvWindow, plus a second for the server's clock against ours. A process that did not send it (restarted
    /// since) takes it as past: a restart takes longer than that.
    /// </summary>
    private DateTimeOffset WindowCloses(OrderRequest request) =>
        _lastSent.TryGetValue(request.ClientOrderId, out var sent)
            ? sent + TimeSpan.FromMilliseconds(_options.RecvWindowMilliseconds + 1_000)
            : DateTimeOffset.MinValue;

    private async Task<BinanceSymbolRules> Rules(string symbol, CancellationToken cancellationToken) =>
        _rules.TryGetValue(symbol, out var cached) ? cached : _rules[symbol] = await FetchRules(symbol, cancellationToken);

    private async Task<BinanceSymbolRules> FetchRules(string symbol, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync("api/v3/exchangeInfo", [new("symbol", symbol)], signed: false, cancellationToken);
        return (response is { IsSuccess: true, Code: null, Body: { } body } ? BinanceSymbolRules.From(body, symbol) : null)
            ?? throw new HttpRequestException($"exchangeInfo for {symbol} answered {(int)response.Status} {response.Code} {response.Message}");
    }

    /// <summary>
    /// Reads a symbol's rules again (and forgets its average price); a failure keeps the rules known, logged, for the
    /// next refresh to replace.
    /// </summary>
    private async Task RefreshRules(string symbol, CancellationToken cancellationToken)
    {
        _averagePrices.TryRemove(symbol, out _);
        try
        {
            var fresh = await FetchRules(symbol, cancellationToken);
            if (_rules.TryGetValue(symbol, out var known) && known != fresh)
            {
                _logger.LogInformation("Binance exchange rules of {Symbol} changed: {Before} → {After}", symbol, known, fresh);
            }

            _rules[symbol] = fresh;
        }
        catch (Exception e) when (IsTransportFailure(e) || e is OperationCanceledException)
        {
            _logger.LogWarning("Binance exchange rules of {Symbol} could not be refreshed ({Error}); the ones known stay until the next refresh", symbol, e.Message);
        }
    }

    /// <summary>The periodic refresh of every symbol's rules known here, so a changed filter or a halted symbol is seen without an order failing first.</summary>
    private async Task RefreshAllRules()
    {
        if (!IsAvailable || Interlocked.Exchange(ref _refreshingRules, 1) == 1)
        {
            return; // the venue cannot be asked now, or the last refresh is still running
        }

        try
        {
            foreach (var symbol in _rules.Keys)
            {
                await RefreshRules(symbol, CancellationToken.None);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _refreshingRules, 0);
        }
    }

    /// <summary>
    /// The price Binance's PERCENT_PRICE filters compare an order with (filters.md): the symbol's reference price when it
    /// has one (<c>GET /api/v3/referencePrice</c>, null or -2043 when not), else its average price
    /// (<c>GET /api/v3/avgPrice</c>, the volume-weighted average over the symbol's averaging window). Reused for
    /// <see cref="AveragePriceMaxAge"/>.
    /// </summary>
    private async Task<BinanceAveragePrice> AveragePrice(string symbol, CancellationToken cancellationToken)
    {
        if (_averagePrices.TryGetValue(symbol, out var cached) && _time.GetUtcNow() - cached.ReadAt < AveragePriceMaxAge)
        {
            return cached.Price;
        }

        KeyValuePair<string, string>[] parameters = [new("symbol", symbol)];
        var reference = await _client.GetAsync("api/v3/referencePrice", parameters, signed: false, cancellationToken);
        BinanceAveragePrice price;
        if (reference is { IsSuccess: true, Code: null, Body: { } body } && body.TryGetProperty("referencePrice", out var value) && value.ValueKind == JsonValueKind.String)
        {
            price = new BinanceAveragePrice(Decimal(body, "referencePrice"), "reference price");
        }
        else if (reference.IsSuccess || reference.Code == BinanceErrors.NoReferencePrice)
        {
            var average = await _client.GetAsync("api/v3/avgPrice", parameters, signed: false, cancellationToken);
            price = average is { IsSuccess: true, Code: null, Body: { } averageBody }
                ? new BinanceAveragePrice(Decimal(averageBody, "price"), $"{averageBody.GetProperty("mins").GetInt32()}-minute average price")
                : throw new HttpRequestException($"avgPrice for {symbol} answered {(int)average.Status} {average.Code} {average.Message}");
        }
        else
        {
            throw new HttpRequestException($"referencePrice for {symbol} answered {(int)reference.Status} {reference.Code} {reference.Message}");
        }

        _averagePrices[symbol] = (price, _time.GetUtcNow());
        return price;
    }

    /// <summary>An order object (new-order FULL response or query) as our report, with the quantity Binance has (<c>origQty</c>, after lot rounding).</summary>
    private OrderAck FromOrder(OrderRequest request, JsonElement order, IReadOnlyList<Fill> fills)
    {
        var status = MapStatus(order.GetProperty("status").GetString());
        return new OrderAck(request.ClientOrderId, order.GetProperty("orderId").GetInt64().ToString(CultureInfo.InvariantCulture), status, fills,
            status == OrderStatus.Cancelled ? $"binance {order.GetProperty("status").GetString()}: filled {Format(Decimal(order, "executedQty"))} of {Format(Decimal(order, "origQty"))}" : null,
            _time.GetUtcNow(), Decimal(order, "executedQty"), Decimal(order, "origQty"));
    }

    private IReadOnlyList<Fill> FillsOf(JsonElement order, OrderRequest request, BinanceSymbolRules rules) =>
        order.TryGetProperty("fills", out var fills)
            ? [.. fills.EnumerateArray().Select(f => ToFill(request, rules, f.GetProperty("tradeId").GetInt64(), Decimal(f, "qty"), Decimal(f, "price"),
                Decimal(f, "commission"), f.GetProperty("commissionAsset").GetString(), _time.GetUtcNow()))]
            : [];

    /// <summary>
    /// One trade as our fill. The fill id is the venue's trade id, so the same trade from the order response, the
    /// stream or a query counts once. The fee is valued in the quote asset: at the fill price when Binance charged the
    /// base asset — which it deducts from the base received, so the fill carries it as <see cref="Fill.FeeInBase"/> and
    /// the position holds what the account holds — and at the configured fee rate when it charged another asset (e.g.
    /// BNB), whose price we do not track.
    /// </summary>
    internal Fill ToFill(OrderRequest request, BinanceSymbolRules rules, long tradeId, decimal quantity, decimal price, decimal commission, string? commissionAsset, DateTimeOffset at)
    {
        var fee = commissionAsset == rules.QuoteAsset || commission == 0 ? commission
            : commissionAsset == rules.BaseAsset ? commission * price
            : quantity * price * _options.FeeBps / 10_000m;
        var feeInBase = commissionAsset == rules.BaseAsset ? commission : 0;
        return new Fill($"binance-{request.Symbol}-{tradeId}", request.ClientOrderId, request.Symbol, request.Side, quantity, price, decimal.Round(fee, 8), at, feeInBase);
    }

    /// <summary>A symbol's exchange rules, loaded on first use and refreshed since (the user-data stream needs its assets to convert fees).</summary>
    internal Task<BinanceSymbolRules> RulesFor(string symbol, CancellationToken cancellationToken) => Rules(symbol, cancellationToken);

    /// <summary>A symbol's exchange rules as known now, without asking Binance; null when never loaded.</summary>
    internal BinanceSymbolRules? KnownRules(string symbol) => _rules.GetValueOrDefault(symbol);

    internal static OrderStatus MapStatus(string? status) => status switch
    {
        "FILLED" => OrderStatus.Filled,
        "PARTIALLY_FILLED" => OrderStatus.PartiallyFilled,
        "CANCELED" or "EXPIRED" or "EXPIRED_IN_MATCH" => OrderStatus.Cancelled,
        "REJECTED" => OrderStatus.Rejected,
        _ => OrderStatus.New, // NEW, PENDING_NEW
    };

    private string Unavailable() => _client.BannedUntil > _time.GetUtcNow()
        ? $"not sent to binance: IP banned until {_client.BannedUntil:O} (418)"
        : $"not sent to binance: circuit {_client.CircuitState} after repeated failures";

    private OrderAck Rejected(OrderRequest request, string reason, bool wouldTake = false)
    {
        _logger.LogWarning("{ClientOrderId}: rejected: {Reason}", request.ClientOrderId, reason);
        return new OrderAck(request.ClientOrderId, "", OrderStatus.Rejected, [], reason, _time.GetUtcNow(), WouldTake: wouldTake);
    }

    private static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or BinanceBannedException or BinanceRateLimitedException or JsonException or KeyNotFoundException or InvalidOperationException;

    internal static decimal Decimal(JsonElement element, string name) =>
        decimal.Parse(element.GetProperty(name).GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[.A-Z:/a-z0-9_-]{1,36}$")]
    private static partial Regex ValidClientOrderId();

    public void Dispose()
    {
        _rulesRefresh.Dispose();
        _client.Dispose();
    }
}
