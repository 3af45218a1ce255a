using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Adapters.Binance;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// A Binance spot exchange on 127.0.0.1 for tests: the REST endpoints the broker uses (time, exchangeInfo, avgPrice,
/// referencePrice, order new/query/cancel, myTrades) and the WebSocket API's user-data subscription, answering with the
/// documented payloads (Fixtures/binance). It checks signatures and recvWindow like Binance, keeps every order it
/// accepted (so a test can count duplicates), fills market orders in two trades at <see cref="Price"/>, and injects
/// one scripted fault per order request. Limit orders match as on Binance against a book at <see cref="Price"/>
/// (<see cref="Liquidity"/> deep): the marketable part fills at once at that price, a GTC rest stays open (filled
/// later by <see cref="TradeAsync"/> at its limit), an IOC rest expires, a FOK that cannot fill whole expires, and a
/// LIMIT_MAKER that would take is rejected. It checks the order parameters each type needs, the filters on price it
/// publishes (PRICE_FILTER, PERCENT_PRICE, PERCENT_PRICE_BY_SIDE) and the symbol's status, answering their failures as
/// Binance does. Its account (<c>FakeBinanceExchange.Account.cs</c>) keeps the balances every trade moves.
/// </summary>
public sealed partial class FakeBinanceExchange : IAsyncDisposable
{
    /// <summary>The documentation's example key pair (rest-api.md "SIGNED Endpoint Examples").</summary>
    public const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    public const string SecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    public enum Fault
    {
        None,

        /// <summary>The order is accepted and filled, but the answer comes only after <see cref="SlowAnswer"/>.</summary>
        TimeoutAfterAccept,

        /// <summary>503 with an HTML body; nothing reaches the matching engine.</summary>
        ServerErrorBeforeAccept,

        /// <summary>The order is accepted and filled, then 500 with an HTML body.</summary>
        ServerErrorAfterAccept,

        /// <summary>429 with Retry-After: 1 and -1003; not accepted.</summary>
        RateLimited,

        /// <summary>418 with Retry-After: 120; not accepted.</summary>
        Banned,

        /// <summary>The order is accepted and filled, then 200 with a truncated JSON body.</summary>
        MalformedAfterAccept,

        /// <summary>The order is accepted and open (NEW, no fill): the test releases its trades with <see cref="TradeAsync"/>.</summary>
        FillsLater,

        /// <summary>Filled 40 %, then EXPIRED (the book ran out), as a large Binance market order can.</summary>
        PartialThenExpire,

        /// <summary>400 -2010 "Account has insufficient balance for requested action."; not accepted.</summary>
        InsufficientBalance,

        /// <summary>400 -1021 "Timestamp for this request is outside of the recvWindow."; not accepted.</summary>
        TimestampOutsideRecvWindow,
    }

    public sealed record VenueTrade(long TradeId, decimal Quantity, decimal Price, decimal Commission, DateTimeOffset Time, string CommissionAsset = "USDT");

    public sealed class VenueOrder(long orderId, string clientOrderId, string symbol, string side, decimal quantity)
    {
        public long OrderId { get; } = orderId;
        public string ClientOrderId { get; } = clientOrderId;
        public string Symbol { get; } = symbol;
        public string Side { get; } = side;
        public decimal Quantity { get; } = quantity;
        public string Type { get; init; } = "MARKET";
        public string TimeInForce { get; init; } = "GTC";

        /// <summary>A limit order's price; null for a market order.</summary>
        public decimal? LimitPrice { get; init; }

        public List<VenueTrade> Trades { get; } = [];
        public string Status { get; set; } = "NEW";

        /// <summary>What the order still locks of its account: a resting buy's quote at its limit, a resting sell's base.</summary>
        public decimal Locked { get; set; }
        public decimal Executed => Trades.Sum(t => t.Quantity);
    }

    private readonly WebApplication _app;
    private readonly Queue<Fault> _faults = new();
    private readonly Dictionary<string, decimal> _tradesBeforeCancel = new(StringComparer.Ordinal);
    private readonly List<VenueOrder> _orders = [];
    private readonly List<WebSocket> _subscribers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonNode> _filters = DefaultFilters();
    private string _symbolStatus = "TRADING";
    private long _nextOrderId = 1000;
    private long _nextTradeId = 5000;

    private FakeBinanceExchange(WebApplication app) => _app = app;

    public string RestUrl { get; private set; } = "";

    public string WebSocketApiUrl { get; private set; } = "";

    public decimal Price { get; set; } = 30_000m;

    /// <summary>
    /// Whether commissions are charged in the base asset (0.1 % of the quantity, deducted from what a buyer receives, as
    /// Binance does for an account without BNB) instead of the quote asset (0.1 % of the value).
    /// </summary>
    public bool CommissionInBase { get; set; }

    /// <summary>How late a <see cref="Fault.TimeoutAfterAccept"/> answer comes.</summary>
    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Every order request, in order: "POST /api/v3/order clientOrderId → outcome".</summary>
    public List<string> Log { get; } = [];

    /// <summary>While true every request gets 503 (the venue is down).</summary>
    public bool Down { get; set; }

    public int BadSignatures { get; private set; }

    /// <summary>While true, user-data events are lost (nobody receives them, as while a connection is down); queries still see everything.</summary>
    public bool LoseUserDataEvents { get; set; }

    /// <summary>The next this many <c>myTrades</c> requests are answered 429 (-1003, Retry-After: 1), as when the request weight is used up.</summary>
    public int RateLimitedTradeQueries { get; set; }

    public int Subscriptions { get; private set; }

    /// <summary>How many order queries (GET /api/v3/order) were answered.</summary>
    public int OrderQueries { get; private set; }

    /// <summary>The query string of every new-order request (POST /api/v3/order), as sent.</summary>
    public List<string> NewOrderQueryStrings { get; } = [];

    /// <summary>How many exchangeInfo requests were answered.</summary>
    public int ExchangeInfoRequests { get; private set; }

    /// <summary>What <c>avgPrice</c> answers (and PERCENT_PRICE filters check against without a reference price); null: the trading price.</summary>
    public decimal? AveragePrice { get; set; }

    /// <summary>What <c>referencePrice</c> answers; null: -2043, the symbol never had one.</summary>
    public decimal? ReferencePrice { get; set; }

    /// <summary>How much a marketable limit order can take from the book at once; null: all of it.</summary>
    public decimal? Liquidity { get; set; }

    /// <summary>The <c>status</c> exchangeInfo gives every symbol (TRADING, BREAK, HALT…).</summary>
    public string SymbolStatus
    {
        get
        {
            lock (_gate)
            {
                return _symbolStatus;
            }
        }
        set
        {
            lock (_gate)
            {
                _symbolStatus = value;
            }
        }
    }

    public IReadOnlyList<VenueOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders];
            }
        }
    }

    /// <summary>
    /// Makes this exchange a silo's only venue in <paramref name="settings"/>: paper off, Binance on at this exchange's
    /// URLs with its key pair, loading the filters of <paramref name="symbols"/>. Returns the same settings.
    /// </summary>
    public Dictionary<string, string?> AsOnlyVenue(Dictionary<string, string?> settings, params string[] symbols)
    {
        settings["Trading:Broker:Paper:Enabled"] = "false";
        settings["Trading:Broker:Binance:Enabled"] = "true";
        settings["Trading:Broker:Binance:RestBaseUrl"] = RestUrl;
        settings["Trading:Broker:Binance:WebSocketApiUrl"] = WebSocketApiUrl;
        settings["Trading:Broker:Binance:ApiKey"] = ApiKey;
        settings["Trading:Broker:Binance:SecretKey"] = SecretKey;
        for (var i = 0; i < symbols.Length; i++)
        {
            settings[$"Trading:Broker:Binance:Symbols:{i}"] = symbols[i];
        }

        return settings;
    }

    public static async Task<FakeBinanceExchange> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var exchange = new FakeBinanceExchange(app);
        app.Use(async (context, next) =>
        {
            if (exchange.Down)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("<html><body>503 Service Unavailable</body></html>");
                return;
            }

            await next();
        });
        app.UseWebSockets();
        app.MapGet("/api/v3/time", () => Results.Text($$"""{"serverTime":{{Now}}}""", "application/json"));
        app.MapGet("/api/v3/exchangeInfo", (string symbol) => Results.Text(exchange.ExchangeInfo(symbol), "application/json"));
        app.MapGet("/api/v3/avgPrice", (string symbol) => exchange.AveragePriceAnswer(symbol));
        app.MapGet("/api/v3/referencePrice", (string symbol) => exchange.ReferencePriceAnswer(symbol));
        app.MapPost("/api/v3/order", (Delegate)exchange.NewOrder);
        app.MapGet("/api/v3/order", (Delegate)exchange.QueryOrder);
        app.MapDelete("/api/v3/order", (Delegate)exchange.CancelOrder);
        app.MapGet("/api/v3/myTrades", (Delegate)exchange.MyTrades);
        app.MapGet("/api/v3/account", (Delegate)exchange.Account);
        app.Map("/ws-api/v3", exchange.UserData);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        exchange.RestUrl = address;
        exchange.WebSocketApiUrl = address.Replace("http://", "ws://") + "/ws-api/v3";
        return exchange;
    }

    /// <summary>Publishes <paramref name="filter"/> (a filter object of exchangeInfo) in place of the one of its type, or besides the others.</summary>
    public void SetFilter(string filter)
    {
        var node = JsonNode.Parse(filter)!;
        lock (_gate)
        {
            _filters[node["filterType"]!.GetValue<string>()] = node;
        }
    }

    /// <summary>Scripts the next order requests' faults (one each, then none).</summary>
    public void Enqueue(params Fault[] faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Drops every user-data connection (the client must reconnect and reconcile).</summary>
    public void DropUserDataStreams()
    {
        lock (_gate)
        {
            foreach (var socket in _subscribers)
            {
                socket.Abort();
            }

            _subscribers.Clear();
        }
    }

    /// <summary>The WebSocket API's <c>serverShutdown</c> event to every subscriber: the server is about to go down; the connection stays open.</summary>
    public Task ServerShutdownAsync() =>
        PushAsync($$$"""{"subscriptionId":0,"event":{"e":"serverShutdown","E":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}""");

    /// <summary>
    /// A filled order of another client on <paramref name="symbol"/>, pushed as NEW and TRADE executionReports (a client
    /// that has not loaded that symbol's rules must fetch them to book the trade).
    /// </summary>
    public async Task FilledElsewhereAsync(string symbol, string clientOrderId, decimal quantity)
    {
        VenueOrder order;
        VenueTrade trade;
        lock (_gate)
        {
            order = new VenueOrder(++_nextOrderId, clientOrderId, symbol, "BUY", quantity);
            _orders.Add(order);
            trade = AddTrade(order, quantity);
            order.Status = "FILLED";
        }

        await PushAsync(ExecutionReport(order, "NEW", null));
        await PushAsync(ExecutionReport(order, "TRADE", trade));
        await PushAccountPositionAsync(symbol);
    }

    /// <summary>
    /// A trade on an open order, pushed as an executionReport to the subscribers connected now (none: it is lost
    /// on the stream, as on Binance; a query still finds it). The order is FILLED once its quantity is.
    /// </summary>
    public async Task TradeAsync(string clientOrderId, decimal quantity)
    {
        VenueOrder order;
        VenueTrade trade;
        lock (_gate)
        {
            order = _orders.Last(o => o.ClientOrderId == clientOrderId);
            trade = AddTrade(order, quantity);
            order.Status = order.Executed >= order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
        }

        await PushAsync(ExecutionReport(order, "TRADE", trade));
        await PushAccountPositionAsync(order.Symbol);
    }

    /// <summary>
    /// A fill racing a cancel: when the next cancel of <paramref name="clientOrderId"/> arrives, <paramref name="quantity"/>
    /// of it trades at its limit just before (pushed as a TRADE first). Filled whole by it, the order is no longer open and
    /// the cancel is answered -2011 "Unknown order sent.", as Binance answers.
    /// </summary>
    public void TradeBeforeCancel(string clientOrderId, decimal quantity)
    {
        lock (_gate)
        {
            _tradesBeforeCancel[clientOrderId] = quantity;
        }
    }

    /// <summary>Ends an open order EXPIRED with what it executed (its book ran out), pushed as an EXPIRED executionReport.</summary>
    public async Task ExpireAsync(string clientOrderId)
    {
        VenueOrder order;
        lock (_gate)
        {
            order = _orders.Last(o => o.ClientOrderId == clientOrderId);
            order.Status = "EXPIRED";
            Unlock(order);
        }

        await PushAsync(ExecutionReport(order, "EXPIRED", null));
        await PushAccountPositionAsync(order.Symbol);
    }

    private async Task<IResult> NewOrder(HttpContext context)
    {
        if (Verify(context) is { } refused)
        {
            return refused;
        }

        var query = context.Request.Query;
        Fault fault;
        lock (_gate)
        {
            fault = _faults.TryDequeue(out var next) ? next : Fault.None;
        }

        var clientOrderId = query["newClientOrderId"].ToString();
        lock (_gate)
        {
            NewOrderQueryStrings.Add(context.Request.QueryString.Value!.TrimStart('?'));
        }

        var chaosFault = fault == Fault.None ? DrawOrderFault() : ChaosFault.None; // chaos mode (FakeBinanceExchange.Chaos.cs)
        lock (_gate)
        {
            Log.Add($"POST /api/v3/order {clientOrderId} → {(chaosFault == ChaosFault.None ? fault : $"chaos {chaosFault}")}");
        }

        if (await ChaosBeforeAccept(chaosFault, context) is { } refusedByChaos)
        {
            return refusedByChaos;
        }

        switch (fault)
        {
            case Fault.ServerErrorBeforeAccept:
                return ServiceUnavailable();
            case Fault.RateLimited:
                return RateLimited(context);
            case Fault.Banned:
                return Banned(context, seconds: 120, until: 1700000000000);
            case Fault.InsufficientBalance:
                return Error(400, BinanceErrors.NewOrderRejected, "Account has insufficient balance for requested action.");
            case Fault.TimestampOutsideRecvWindow:
                return TimestampOutsideRecvWindow();
        }

        if (OrderParameterProblem(query) is { } malformed)
        {
            return malformed;
        }

        VenueOrder order;
        lock (_gate)
        {
            if (_orders.Any(o => o.ClientOrderId == clientOrderId && o.Status is "NEW" or "PARTIALLY_FILLED"))
            {
                return Error(400, BinanceErrors.NewOrderRejected, "Duplicate order sent.");
            }

            if (_symbolStatus != "TRADING")
            {
                return Error(400, BinanceErrors.NewOrderRejected, "Market is closed.");
            }

            var type = query["type"].ToString();
            order = new VenueOrder(++_nextOrderId, clientOrderId, query["symbol"]!, query["side"]!, decimal.Parse(query["quantity"]!, CultureInfo.InvariantCulture))
            {
                Type = type,
                TimeInForce = type == "LIMIT" ? query["timeInForce"].ToString() : "GTC",
                LimitPrice = type == "MARKET" ? null : decimal.Parse(query["price"]!, CultureInfo.InvariantCulture),
            };
            if (order.LimitPrice is { } limit && (PriceFilterFailure(order.Symbol, order.Side, limit) is { } failure))
            {
                return Error(400, BinanceErrors.InvalidMessage, $"Filter failure: {failure}");
            }

            if (order.Type == "LIMIT_MAKER" && IsMarketable(order))
            {
                return Error(400, BinanceErrors.NewOrderRejected, "Order would immediately match and take.");
            }

            if (InsufficientBalance(order) is { } unaffordable)
            {
                return unaffordable;
            }

            _orders.Add(order);
            switch (fault)
            {
                case Fault.FillsLater:
                    break;
                case not Fault.PartialThenExpire when order.Type != "MARKET":
                    Match(order);
                    break;
                case Fault.PartialThenExpire:
                    AddTrade(order, decimal.Round(order.Quantity * 0.4m, 3));
                    order.Status = "EXPIRED";
                    break;
                default:
                    if (ChaosFill(chaosFault, order))
                    {
                        break;
                    }

                    var first = decimal.Round(order.Quantity / 2, 3);
                    if (first > 0)
                    {
                        AddTrade(order, first); // one lot (0.001) fills in one trade: Binance never reports a trade of 0
                    }

                    AddTrade(order, order.Quantity - first);
                    order.Status = "FILLED";
                    break;
            }

            LockOpenPart(order);
        }

        await PushAsync(ExecutionReport(order, "NEW", null));
        foreach (var trade in order.Trades)
        {
            await PushAsync(ExecutionReport(order, "TRADE", trade));
        }

        if (order.Status == "EXPIRED")
        {
            await PushAsync(ExecutionReport(order, "EXPIRED", null));
        }

        if (order.Trades.Count > 0 || order.Locked > 0)
        {
            await PushAccountPositionAsync(order.Symbol);
        }

        if (await ChaosAfterAccept(chaosFault, context) is { } answeredByChaos)
        {
            return answeredByChaos;
        }

        switch (fault)
        {
            case Fault.TimeoutAfterAccept:
                await Task.Delay(SlowAnswer, _stopping.Token);
                break;
            case Fault.ServerErrorAfterAccept:
                return InternalServerError();
            case Fault.MalformedAfterAccept:
                return TruncatedOrder();
        }

        return Results.Text(FullResponse(order), "application/json");
    }

    private IResult QueryOrder(HttpContext context)
    {
        if (Verify(context) is { } refused)
        {
            return refused;
        }

        if (ChaosQueryFault() is { } chaosFault)
        {
            return chaosFault;
        }

        var clientOrderId = context.Request.Query["origClientOrderId"].ToString();
        lock (_gate)
        {
            OrderQueries++;
            if (_orders.LastOrDefault(o => o.ClientOrderId == clientOrderId) is not { } order)
            {
                return Error(400, BinanceErrors.NoSuchOrder, "Order does not exist.");
            }

            var json = Fixture("order_query");
            json["symbol"] = order.Symbol;
            json["orderId"] = order.OrderId;
            json["clientOrderId"] = order.ClientOrderId;
            json["price"] = Text(order.LimitPrice ?? 0);
            json["timeInForce"] = order.TimeInForce;
            json["origQty"] = Text(order.Quantity);
            json["executedQty"] = Text(order.Executed);
            json["cummulativeQuoteQty"] = Text(order.Trades.Sum(t => t.Quantity * t.Price));
            json["status"] = order.Status;
            json["type"] = order.Type;
            json["side"] = order.Side;
            return Results.Text(json.ToJsonString(), "application/json");
        }
    }

    /// <summary>Cancels an open order (CANCELED, pushed on the stream); -2011 "Unknown order sent." for one that is not open.</summary>
    private async Task<IResult> CancelOrder(HttpContext context)
    {
        if (Verify(context) is { } refused)
        {
            return refused;
        }

        var clientOrderId = context.Request.Query["origClientOrderId"].ToString();
        VenueOrder? order;
        VenueTrade? racing = null;
        lock (_gate)
        {
            order = _orders.LastOrDefault(o => o.ClientOrderId == clientOrderId && o.Status is "NEW" or "PARTIALLY_FILLED");
            if (order is not null && _tradesBeforeCancel.Remove(clientOrderId, out var quantity))
            {
                racing = AddTrade(order, quantity);
                order.Status = order.Executed >= order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
            }

            if (order is { Status: not "FILLED" })
            {
                order.Status = "CANCELED";
                Unlock(order);
            }
        }

        if (racing is not null)
        {
            await PushAsync(ExecutionReport(order!, "TRADE", racing));
        }

        if (order is null or { Status: "FILLED" })
        {
            return Error(400, -2011, "Unknown order sent.");
        }

        await PushAsync(ExecutionReport(order, "CANCELED", null));
        await PushAccountPositionAsync(order.Symbol);
        return Results.Text(FullResponse(order), "application/json");
    }

    private IResult MyTrades(HttpContext context)
    {
        if (Verify(context) is { } refused)
        {
            return refused;
        }

        lock (_gate)
        {
            if (RateLimitedTradeQueries > 0)
            {
                RateLimitedTradeQueries--;
                return RateLimited(context);
            }
        }

        var orderId = long.Parse(context.Request.Query["orderId"]!, CultureInfo.InvariantCulture);
        var template = Fixture("myTrades")[0]!;
        lock (_gate)
        {
            var order = _orders.Single(o => o.OrderId == orderId);
            var rows = new JsonArray([.. order.Trades.Select(t =>
            {
                var row = template.DeepClone();
                row["symbol"] = order.Symbol;
                row["id"] = t.TradeId;
                row["orderId"] = order.OrderId;
                row["price"] = Text(t.Price);
                row["qty"] = Text(t.Quantity);
                row["quoteQty"] = Text(t.Quantity * t.Price);
                row["commission"] = Text(t.Commission);
                row["commissionAsset"] = t.CommissionAsset;
                row["time"] = t.Time.ToUnixTimeMilliseconds();
                row["isBuyer"] = order.Side == "BUY";
                return row;
            })]);
            return Results.Text(rows.ToJsonString(), "application/json");
        }
    }

    /// <summary>The WebSocket API: answers userDataStream.subscribe.signature (signature checked), then pushes events.</summary>
    private async Task UserData(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[8192];
        try
        {
            var received = await socket.ReceiveAsync(buffer, _stopping.Token);
            using var request = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
            var id = request.RootElement.GetProperty("id").GetString();
            var parameters = request.RootElement.GetProperty("params");
            var signed = BinanceSignature.WebSocketApiPayload(
                parameters.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString())));
            if (request.RootElement.GetProperty("method").GetString() != "userDataStream.subscribe.signature"
                || parameters.GetProperty("apiKey").GetString() != ApiKey
                || !string.Equals(parameters.GetProperty("signature").GetString(), BinanceSignature.Sign(SecretKey, signed), StringComparison.OrdinalIgnoreCase))
            {
                BadSignatures++;
                await Send(socket, $$$"""{"id":"{{{id}}}","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}}""");
                return;
            }

            var answer = Fixture("userDataStream_subscribe_signature.response");
            answer["id"] = id;
            await Send(socket, answer.ToJsonString());
            lock (_gate)
            {
                _subscribers.Add(socket);
                Subscriptions++;
            }

            // Hold the connection until the client or the test ends it.
            while (socket.State == WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(buffer, _stopping.Token)).MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Dropped by the test, or the test is over.
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(socket);
            }
        }
    }

    private async Task PushAsync(string payload)
    {
        WebSocket[] subscribers;
        lock (_gate)
        {
            subscribers = LoseUserDataEvents ? [] : [.. _subscribers];
        }

        foreach (var socket in subscribers)
        {
            try
            {
                await ChaosSend(socket, payload);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // A dropped subscriber misses the event, as on Binance.
            }
        }
    }

    private Task Send(WebSocket socket, string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stopping.Token);

    /// <summary>Binance's checks on a signed request: API key, HMAC signature of the query string, timestamp within recvWindow.</summary>
    private IResult? Verify(HttpContext context)
    {
        var query = context.Request.QueryString.Value!.TrimStart('?');
        var at = query.LastIndexOf("&signature=", StringComparison.Ordinal);
        if (context.Request.Headers["X-MBX-APIKEY"] != ApiKey || at < 0
            || !string.Equals(query[(at + "&signature=".Length)..], BinanceSignature.Sign(SecretKey, query[..at]), StringComparison.OrdinalIgnoreCase))
        {
            BadSignatures++;
            return Error(400, -1022, "Signature for this request is not valid.");
        }

        var timestamp = long.Parse(context.Request.Query["timestamp"]!, CultureInfo.InvariantCulture);
        var window = long.Parse(context.Request.Query["recvWindow"]!, CultureInfo.InvariantCulture);
        return Now - timestamp > window || timestamp > Now + 1000
            ? TimestampOutsideRecvWindow()
            : null;
    }

    /// <summary>
    /// Binance's parameter checks on a new order: a LIMIT needs timeInForce, quantity and price (-1102); a LIMIT_MAKER
    /// takes price but no timeInForce, a MARKET neither (-1106).
    /// </summary>
    private static IResult? OrderParameterProblem(IQueryCollection query)
    {
        string[] needed = query["type"].ToString() switch
        {
            "LIMIT" => ["timeInForce", "quantity", "price"],
            "LIMIT_MAKER" => ["quantity", "price"],
            "MARKET" => ["quantity"],
            var other => throw new InvalidOperationException($"order type {other} is not simulated"),
        };
        if (needed.FirstOrDefault(p => string.IsNullOrEmpty(query[p])) is { } missing)
        {
            return Error(400, -1102, $"Mandatory parameter '{missing}' was not sent, was empty/null, or malformed.");
        }

        return new[] { "timeInForce", "price" }.FirstOrDefault(p => !needed.Contains(p) && query.ContainsKey(p)) is { } extra
            ? Error(400, -1106, $"Parameter '{extra}' sent when not required.")
            : null;
    }

    /// <summary>The price filter a limit price fails (PRICE_FILTER, then PERCENT_PRICE(_BY_SIDE) around the reference or average price); null when it passes.</summary>
    private string? PriceFilterFailure(string symbol, string side, decimal price)
    {
        decimal Number(JsonNode filter, string name) => decimal.Parse(filter[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

        if (_filters.TryGetValue("PRICE_FILTER", out var priceFilter))
        {
            var (min, max, tick) = (Number(priceFilter, "minPrice"), Number(priceFilter, "maxPrice"), Number(priceFilter, "tickSize"));
            if ((min > 0 && price < min) || (max > 0 && price > max) || (tick > 0 && price % tick != 0))
            {
                return "PRICE_FILTER";
            }
        }

        var average = ReferencePrice ?? AveragePrice ?? PriceOf(symbol);
        var buying = side == "BUY";
        if (_filters.TryGetValue("PERCENT_PRICE", out var percent)
            && (price > average * Number(percent, "multiplierUp") || price < average * Number(percent, "multiplierDown")))
        {
            return "PERCENT_PRICE";
        }

        return _filters.TryGetValue("PERCENT_PRICE_BY_SIDE", out var bySide)
            && (price > average * Number(bySide, buying ? "bidMultiplierUp" : "askMultiplierUp") || price < average * Number(bySide, buying ? "bidMultiplierDown" : "askMultiplierDown"))
            ? "PERCENT_PRICE_BY_SIDE"
            : null;
    }

    /// <summary>Whether a limit order would trade at once against the book at the symbol's price.</summary>
    private bool IsMarketable(VenueOrder order) => order.Side == "BUY" ? order.LimitPrice >= PriceOf(order.Symbol) : order.LimitPrice <= PriceOf(order.Symbol);

    /// <summary>
    /// A new LIMIT order against the book: what is marketable fills at once at the book's price (up to <see cref="Liquidity"/>);
    /// the rest of a GTC rests, of an IOC expires; a FOK that cannot fill whole expires with nothing.
    /// </summary>
    private void Match(VenueOrder order)
    {
        var available = IsMarketable(order) ? Math.Min(order.Quantity, Liquidity ?? order.Quantity) : 0;
        if (order.TimeInForce == "FOK" && available < order.Quantity)
        {
            order.Status = "EXPIRED";
            return;
        }

        if (available > 0)
        {
            AddTrade(order, available, PriceOf(order.Symbol));
        }

        order.Status = order.Executed >= order.Quantity ? "FILLED"
            : order.TimeInForce != "GTC" ? "EXPIRED"
            : order.Executed > 0 ? "PARTIALLY_FILLED"
            : "NEW";
    }

    private IResult AveragePriceAnswer(string symbol)
    {
        var json = Fixture("avgPrice");
        json["price"] = Text(AveragePrice ?? PriceOf(symbol));
        json["closeTime"] = Now;
        return Results.Text(json.ToJsonString(), "application/json");
    }

    private IResult ReferencePriceAnswer(string symbol)
    {
        if (ReferencePrice is not { } price)
        {
            return Error(400, BinanceErrors.NoReferencePrice, "This symbol doesn't have a reference price.");
        }

        var json = Fixture("referencePrice");
        json["symbol"] = symbol;
        json["referencePrice"] = Text(price);
        json["timestamp"] = Now;
        return Results.Text(json.ToJsonString(), "application/json");
    }

    /// <summary>A trade on <paramref name="order"/>: at <paramref name="at"/>, else a resting limit order's own price, else the symbol's.</summary>
    private VenueTrade AddTrade(VenueOrder order, decimal quantity, decimal? at = null)
    {
        var price = at ?? order.LimitPrice ?? PriceOf(order.Symbol);
        var inBase = CommissionInBase || ChaosCommissionInBase();
        var commission = inBase ? decimal.Round(quantity * 0.001m, 8) : decimal.Round(quantity * price * 0.001m, 8);
        var trade = new VenueTrade(++_nextTradeId, quantity, price, commission, DateTimeOffset.UtcNow, inBase ? order.Symbol[..^4] : "USDT");
        order.Trades.Add(trade);
        Settle(order, trade);
        return trade;
    }

    private string FullResponse(VenueOrder order)
    {
        var json = Fixture("order_new.FULL");
        json["symbol"] = order.Symbol;
        json["orderId"] = order.OrderId;
        json["clientOrderId"] = order.ClientOrderId;
        json["transactTime"] = Now;
        json["origQty"] = Text(order.Quantity);
        json["executedQty"] = Text(order.Executed);
        json["cummulativeQuoteQty"] = Text(order.Trades.Sum(t => t.Quantity * t.Price));
        json["status"] = order.Status;
        json["side"] = order.Side;
        json["type"] = order.Type;
        json["timeInForce"] = order.TimeInForce;
        json["price"] = Text(order.LimitPrice ?? 0);
        var template = json["fills"]![0]!;
        json["fills"] = new JsonArray([.. order.Trades.Select(t =>
        {
            var fill = template.DeepClone();
            fill["price"] = Text(t.Price);
            fill["qty"] = Text(t.Quantity);
            fill["commission"] = Text(t.Commission);
            fill["commissionAsset"] = t.CommissionAsset;
            fill["tradeId"] = t.TradeId;
            return fill;
        })]);
        return json.ToJsonString();
    }

    private static string ExecutionReport(VenueOrder order, string executionType, VenueTrade? trade)
    {
        var json = Fixture("executionReport.wsapi");
        var e = json["event"]!;
        e["E"] = Now;
        e["s"] = order.Symbol;
        e["c"] = order.ClientOrderId;
        e["S"] = order.Side;
        e["o"] = order.Type;
        e["f"] = order.TimeInForce;
        e["q"] = Text(order.Quantity);
        e["p"] = Text(order.LimitPrice ?? 0);
        e["x"] = executionType;
        e["X"] = executionType is "CANCELED" or "EXPIRED" ? executionType : trade is null ? "NEW" : order.Trades.TakeWhile(t => t != trade).Sum(t => t.Quantity) + trade.Quantity >= order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
        e["i"] = order.OrderId;
        e["l"] = Text(trade?.Quantity ?? 0);
        // z is the order's cumulative filled quantity: 0 when NEW, everything it executed when it ends (CANCELED, EXPIRED).
        e["z"] = Text(trade is not null ? order.Trades.TakeWhile(t => t != trade).Sum(t => t.Quantity) + trade.Quantity
            : executionType is "CANCELED" or "EXPIRED" ? order.Executed : 0);
        e["L"] = Text(trade?.Price ?? 0);
        e["n"] = Text(trade?.Commission ?? 0);
        e["N"] = trade?.CommissionAsset;
        e["T"] = Now;
        e["t"] = trade?.TradeId ?? -1;
        return json.ToJsonString();
    }

    private string ExchangeInfo(string symbol)
    {
        var json = Fixture("exchangeInfo");
        var entry = json["symbols"]![0]!;
        entry["symbol"] = symbol;
        entry["baseAsset"] = symbol[..^4];
        entry["quoteAsset"] = symbol[^4..];
        lock (_gate)
        {
            ExchangeInfoRequests++;
            entry["status"] = _symbolStatus;
            entry["filters"] = new JsonArray([.. _filters.Values.Select(f => f.DeepClone())]);
        }

        return json.ToJsonString();
    }

    /// <summary>The documented filter examples (filters.md), NOTIONAL's minimum applied to market orders too.</summary>
    private static Dictionary<string, JsonNode> DefaultFilters()
    {
        var notional = Fixture("filter_NOTIONAL");
        notional["applyMinToMarket"] = true; // the documented example leaves market orders out; test the minimum too
        return new Dictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["PRICE_FILTER"] = Fixture("filter_PRICE_FILTER"),
            ["LOT_SIZE"] = Fixture("filter_LOT_SIZE"),
            ["MARKET_LOT_SIZE"] = Fixture("filter_MARKET_LOT_SIZE"),
            ["NOTIONAL"] = notional,
        };
    }

    private static IResult Error(int status, int code, string message) =>
        Results.Content($$"""{"code":{{code}},"msg":"{{message}}"}""", "application/json", statusCode: status);

    // The answers of the faults both the scripted and the chaos modes inject, in Binance's words, one copy each.
    private static IResult ServiceUnavailable() => Results.Content("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: 503);

    private static IResult InternalServerError() => Results.Content("<html><body>500 Internal Server Error</body></html>", "text/html", statusCode: 500);

    private static IResult TruncatedOrder() => Results.Content("""{"symbol":"BTCUSDT","orderId":""", "application/json");

    private static IResult TimestampOutsideRecvWindow() => Error(400, -1021, "Timestamp for this request is outside of the recvWindow.");

    private static IResult RateLimited(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Error(429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.");
    }

    private static IResult Banned(HttpContext context, int seconds, long until)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Error(418, -1003, $"Way too much request weight used; IP banned until {until}.");
    }

    private static JsonNode Fixture(string name) => JsonNode.Parse(BinanceFixtures.Raw(name))!;

    private static string Text(decimal value) => value.ToString("0.00000000", CultureInfo.InvariantCulture);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
