using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using TradingOrleans.Grains.Adapters.Binance;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// How often each fault of <see cref="FakeBinanceExchange.StartChaos"/> strikes. Order faults are drawn once per new-order
/// request (their shares add up to the chance an order request meets any fault); the stream and query faults per second
/// or per request as named. Every fault is one Binance documents or that HTTP allows.
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>Accepted and filled; the answer never comes (the client times out and the connection is dropped).</summary>
    public double NoAnswer { get; init; } = 0.03;

    /// <summary>Never reaches the matching engine and never answered (lost on the way).</summary>
    public double LostRequest { get; init; } = 0.015;

    /// <summary>Reaches the matching engine late (still inside its recvWindow), then answered.</summary>
    public double LateAccept { get; init; } = 0.02;

    /// <summary>503 before the matching engine (not accepted).</summary>
    public double ServiceUnavailableBeforeAccept { get; init; } = 0.02;

    /// <summary>500 before the matching engine (not accepted).</summary>
    public double InternalErrorBeforeAccept { get; init; } = 0.015;

    /// <summary>Accepted and filled, then 503.</summary>
    public double ServiceUnavailableAfterAccept { get; init; } = 0.02;

    /// <summary>Accepted and filled, then 500.</summary>
    public double InternalErrorAfterAccept { get; init; } = 0.015;

    /// <summary>Accepted and filled, then 200 with a truncated body.</summary>
    public double MalformedAfterAccept { get; init; } = 0.01;

    /// <summary>429 -1003 with Retry-After: 1 (not accepted).</summary>
    public double RateLimited { get; init; } = 0.04;

    /// <summary>418 with Retry-After of <see cref="BanSeconds"/> (not accepted).</summary>
    public double Banned { get; init; } = 0.008;

    /// <summary>400 -1021 "Timestamp for this request is outside of the recvWindow." (not accepted).</summary>
    public double TimestampOutsideRecvWindow { get; init; } = 0.02;

    /// <summary>Accepted NEW; filled by 2–4 trades spread over <see cref="SpreadFillsOver"/>, pushed on the stream as they happen.</summary>
    public double SpreadFills { get; init; } = 0.15;

    /// <summary>Of the spread-fill orders, the share that expires after some of its trades (the book ran out).</summary>
    public double SpreadFillsExpire { get; init; } = 0.25;

    /// <summary>Filled 40 % at once, then EXPIRED.</summary>
    public double PartialThenExpire { get; init; } = 0.03;

    /// <summary>Per trade: the commission is charged in the base asset (an account without BNB) instead of USDT.</summary>
    public double CommissionInBase { get; init; } = 0.3;

    /// <summary>Per user-data event: sent twice.</summary>
    public double DuplicateEvent { get; init; } = 0.1;

    /// <summary>Per user-data event: held back 50–400 ms, so events sent after it overtake it.</summary>
    public double DelayEvent { get; init; } = 0.1;

    /// <summary>Per second: every user-data connection dropped (and, during a spread fill, between two of its trades at <see cref="DropBetweenTrades"/>).</summary>
    public double DropStreams { get; init; } = 0.03;

    /// <summary>Per trade of a spread fill: the user-data connections are dropped just before it.</summary>
    public double DropBetweenTrades { get; init; } = 0.05;

    /// <summary>Per second: a <c>serverShutdown</c> event to every subscriber.</summary>
    public double ServerShutdown { get; init; } = 0.01;

    /// <summary>Per second: user-data events are lost for 0.5–2 s (nobody receives them).</summary>
    public double LoseEvents { get; init; } = 0.02;

    /// <summary>Per second: the next <c>myTrades</c> request is answered 429.</summary>
    public double TradeQueryRateLimited { get; init; } = 0.05;

    /// <summary>Per order query (GET /api/v3/order): 400 -1021.</summary>
    public double QueryTimestampOutsideRecvWindow { get; init; } = 0.02;

    /// <summary>
    /// Retry-After of a 418. Binance bans for 2 minutes up to 3 days, longer for repeat offenders; the local exchange bans
    /// for 2 s so a soak of minutes keeps trading while still going through the ban path.
    /// </summary>
    public int BanSeconds { get; init; } = 2;

    public TimeSpan SpreadFillsOver { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a withheld answer (<see cref="NoAnswer"/>, <see cref="LostRequest"/>) is held before the connection is dropped, if the client has not given up first.</summary>
    public TimeSpan HoldAnswer { get; init; } = TimeSpan.FromSeconds(30);
}

// Chaos mode: a seeded random mix of every fault, kept apart from the scripted faults above (#23 soak).
public sealed partial class FakeBinanceExchange
{
    /// <summary>Faults that only chaos mode draws (the scripted ones are <see cref="Fault"/>'s first members).</summary>
    private enum ChaosFault
    {
        None,
        NoAnswer,
        LostRequest,
        LateAccept,
        ServiceUnavailableBeforeAccept,
        InternalErrorBeforeAccept,
        ServiceUnavailableAfterAccept,
        InternalErrorAfterAccept,
        MalformedAfterAccept,
        RateLimited,
        Banned,
        TimestampOutsideRecvWindow,
        SpreadFills,
        PartialThenExpire,
    }

    private readonly ConcurrentDictionary<string, int> _chaosCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _chaosWork = new();
    private readonly ConcurrentDictionary<string, decimal> _prices = new(StringComparer.Ordinal);
    private ChaosOptions? _chaos;
    private Random _random = new(0);
    private CancellationTokenSource? _chaosStop;
    private Task _chaosLoop = Task.CompletedTask;

    /// <summary>Whether chaos mode is on.</summary>
    public bool ChaosOn => _chaos is not null;

    /// <summary>How many times each chaos fault struck, by name (order faults, stream faults, query faults).</summary>
    public IReadOnlyDictionary<string, int> ChaosCounts => new SortedDictionary<string, int>(_chaosCounts, StringComparer.Ordinal);

    /// <summary>The price a symbol trades at (its own, or <see cref="Price"/> when none was set).</summary>
    public decimal PriceOf(string symbol) => _prices.TryGetValue(symbol, out var price) ? price : Price;

    /// <summary>Sets the price <paramref name="symbol"/> trades at from now on.</summary>
    public void SetPrice(string symbol, decimal price) => _prices[symbol] = price;

    /// <summary>
    /// Starts the random fault mix: every new-order request draws a fault from <paramref name="options"/>, user-data events
    /// are duplicated and reordered, streams drop, and so on. The same seed draws the same faults for the same sequence of
    /// requests (the timing of a silo still varies from run to run).
    /// </summary>
    public void StartChaos(int seed, ChaosOptions? options = null)
    {
        lock (_gate)
        {
            _random = new Random(seed);
            _chaos = options ?? new ChaosOptions();
        }

        _chaosStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _chaosLoop = ChaosLoop(_chaosStop.Token);
    }

    /// <summary>Stops drawing faults and waits for the trades already spread over time to finish (they are not cut short).</summary>
    public async Task StopChaosAsync()
    {
        lock (_gate)
        {
            _chaos = null;
            LoseUserDataEvents = false;
        }

        if (_chaosStop is { } stop)
        {
            await stop.CancelAsync();
            await _chaosLoop;
            stop.Dispose();
            _chaosStop = null;
        }

        while (_chaosWork.Keys.Where(t => !t.IsCompleted).ToArray() is { Length: > 0 } pending)
        {
            await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>How many orders the exchange holds that are still open (NEW or PARTIALLY_FILLED).</summary>
    public int OpenOrders => Orders.Count(o => o.Status is "NEW" or "PARTIALLY_FILLED");

    private void Count(string what) => _chaosCounts.AddOrUpdate(what, 1, (_, n) => n + 1);

    private double Roll()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    private int Between(int min, int max)
    {
        lock (_gate)
        {
            return _random.Next(min, max);
        }
    }

    /// <summary>The chaos fault of one new-order request (None when chaos is off or a scripted fault applies).</summary>
    private ChaosFault DrawOrderFault()
    {
        ChaosOptions? chaos;
        double roll;
        lock (_gate)
        {
            chaos = _chaos;
            roll = _random.NextDouble();
        }

        if (chaos is null)
        {
            return ChaosFault.None;
        }

        (ChaosFault Fault, double Share)[] shares =
        [
            (ChaosFault.NoAnswer, chaos.NoAnswer),
            (ChaosFault.LostRequest, chaos.LostRequest),
            (ChaosFault.LateAccept, chaos.LateAccept),
            (ChaosFault.ServiceUnavailableBeforeAccept, chaos.ServiceUnavailableBeforeAccept),
            (ChaosFault.InternalErrorBeforeAccept, chaos.InternalErrorBeforeAccept),
            (ChaosFault.ServiceUnavailableAfterAccept, chaos.ServiceUnavailableAfterAccept),
            (ChaosFault.InternalErrorAfterAccept, chaos.InternalErrorAfterAccept),
            (ChaosFault.MalformedAfterAccept, chaos.MalformedAfterAccept),
            (ChaosFault.RateLimited, chaos.RateLimited),
            (ChaosFault.Banned, chaos.Banned),
            (ChaosFault.TimestampOutsideRecvWindow, chaos.TimestampOutsideRecvWindow),
            (ChaosFault.SpreadFills, chaos.SpreadFills),
            (ChaosFault.PartialThenExpire, chaos.PartialThenExpire),
        ];
        foreach (var (fault, share) in shares)
        {
            if (roll < share)
            {
                Count($"order.{fault}");
                return fault;
            }

            roll -= share;
        }

        return ChaosFault.None;
    }

    /// <summary>
    /// The part of a chaos fault that comes before the matching engine: an answer that refuses the order (returned), a
    /// request that is never answered, or a late arrival (waited out here). Null: go on and accept the order.
    /// </summary>
    private async Task<IResult?> ChaosBeforeAccept(ChaosFault fault, HttpContext context)
    {
        switch (fault)
        {
            case ChaosFault.LostRequest:
                await HoldUntilAbandoned(context);
                return Results.Empty;
            case ChaosFault.LateAccept:
                var window = long.Parse(context.Request.Query["recvWindow"]!, System.Globalization.CultureInfo.InvariantCulture);
                var timestamp = long.Parse(context.Request.Query["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
                var latest = timestamp + window - 200 - Now; // still inside its recvWindow when it reaches the engine
                if (latest > 100)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Between(100, (int)Math.Min(latest, int.MaxValue))), _stopping.Token);
                }

                return null;
            case ChaosFault.ServiceUnavailableBeforeAccept:
                return ServiceUnavailable();
            case ChaosFault.InternalErrorBeforeAccept:
                return InternalServerError();
            case ChaosFault.RateLimited:
                return RateLimited(context);
            case ChaosFault.Banned:
                var banSeconds = _chaos?.BanSeconds ?? 2;
                return Banned(context, banSeconds, until: Now + 1000L * banSeconds);
            case ChaosFault.TimestampOutsideRecvWindow:
                return TimestampOutsideRecvWindow();
            default:
                return null;
        }
    }

    /// <summary>The fills of a newly accepted order under a chaos fault; false when the fault leaves the default (filled in two trades).</summary>
    private bool ChaosFill(ChaosFault fault, VenueOrder order)
    {
        switch (fault)
        {
            case ChaosFault.SpreadFills:
                Track(SpreadFills(order));
                return true;
            case ChaosFault.PartialThenExpire:
                var part = Lots(order.Quantity * 0.4m);
                if (part > 0)
                {
                    AddTrade(order, part);
                }

                order.Status = "EXPIRED";
                return true;
            default:
                return false;
        }
    }

    /// <summary>The answer of an accepted order under a chaos fault, or null for the normal FULL answer.</summary>
    private async Task<IResult?> ChaosAfterAccept(ChaosFault fault, HttpContext context)
    {
        switch (fault)
        {
            case ChaosFault.NoAnswer:
                await HoldUntilAbandoned(context);
                return Results.Empty;
            case ChaosFault.ServiceUnavailableAfterAccept:
                return ServiceUnavailable();
            case ChaosFault.InternalErrorAfterAccept:
                return InternalServerError();
            case ChaosFault.MalformedAfterAccept:
                return TruncatedOrder();
            default:
                return null;
        }
    }

    /// <summary>A -1021 for an order query under chaos (the broker re-syncs its clock and asks again), or null.</summary>
    private IResult? ChaosQueryFault()
    {
        if (_chaos is not { } chaos || Roll() >= chaos.QueryTimestampOutsideRecvWindow)
        {
            return null;
        }

        Count("query.TimestampOutsideRecvWindow");
        return TimestampOutsideRecvWindow();
    }

    /// <summary>Whether this trade's commission is charged in the base asset.</summary>
    private bool ChaosCommissionInBase()
    {
        if (_chaos is not { } chaos || Roll() >= chaos.CommissionInBase)
        {
            return false;
        }

        Count("trade.CommissionInBase");
        return true;
    }

    /// <summary>Sends a user-data event under chaos: sometimes twice, sometimes held back so later events overtake it.</summary>
    private async Task ChaosSend(System.Net.WebSockets.WebSocket socket, string payload)
    {
        if (_chaos is not { } chaos)
        {
            await Send(socket, payload);
            return;
        }

        if (Roll() < chaos.DelayEvent)
        {
            Count("stream.EventReordered");
            var delay = TimeSpan.FromMilliseconds(Between(50, 400));
            Track(Task.Run(async () =>
            {
                await Task.Delay(delay, _stopping.Token);
                await SendQuietly(socket, payload);
            }));
            return;
        }

        await Send(socket, payload);
        if (Roll() < chaos.DuplicateEvent)
        {
            Count("stream.EventDuplicated");
            await Send(socket, payload);
        }
    }

    private async Task SendQuietly(System.Net.WebSockets.WebSocket socket, string payload)
    {
        try
        {
            await Send(socket, payload);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The connection went meanwhile: the event is lost, as on Binance.
        }
    }

    /// <summary>An order accepted NEW and filled by 2–4 trades over up to <see cref="ChaosOptions.SpreadFillsOver"/>; some expire part way.</summary>
    private async Task SpreadFills(VenueOrder order)
    {
        try
        {
            await SpreadFillsOnce(order);
        }
        catch (OperationCanceledException)
        {
            // The exchange stops.
        }
    }

    private async Task SpreadFillsOnce(VenueOrder order)
    {
        var chaos = _chaos ?? new ChaosOptions();
        var lots = (int)(order.Quantity / Lot);
        var trades = Math.Clamp(Between(2, 5), 1, Math.Max(1, lots));
        var expireAfter = Roll() < chaos.SpreadFillsExpire ? Between(1, trades + 1) - 1 : -1; // 0..trades-1 trades before it expires
        var total = TimeSpan.FromMilliseconds(Between(500, (int)chaos.SpreadFillsOver.TotalMilliseconds + 1));
        await Task.Delay(TimeSpan.FromMilliseconds(50), _stopping.Token); // after the NEW report and the answer
        for (var i = 0; i < trades; i++)
        {
            await Task.Delay(total / trades, _stopping.Token);
            if (i == expireAfter)
            {
                break;
            }

            if (_chaos is not null && Roll() < chaos.DropBetweenTrades)
            {
                Count("stream.DroppedMidFill");
                DropUserDataStreams();
            }

            VenueTrade trade;
            lock (_gate)
            {
                if (order.Status is not ("NEW" or "PARTIALLY_FILLED"))
                {
                    return; // cancelled meanwhile
                }

                var rest = order.Quantity - order.Executed;
                var quantity = i == trades - 1 ? rest : Math.Min(rest, Math.Max(Lot, Lots(order.Quantity / trades)));
                if (quantity <= 0)
                {
                    return;
                }

                trade = AddTrade(order, quantity);
                order.Status = order.Executed >= order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
            }

            await PushAsync(ExecutionReport(order, "TRADE", trade));
        }

        lock (_gate)
        {
            if (order.Status is not ("NEW" or "PARTIALLY_FILLED"))
            {
                return;
            }

            order.Status = "EXPIRED";
        }

        Count("order.SpreadFillsExpired");
        await PushAsync(ExecutionReport(order, "EXPIRED", null));
    }

    /// <summary>Stream and query faults that are not tied to one request.</summary>
    private async Task ChaosLoop(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
                if (_chaos is not { } chaos)
                {
                    return;
                }

                if (Roll() < chaos.DropStreams)
                {
                    Count("stream.Dropped");
                    DropUserDataStreams();
                }

                if (Roll() < chaos.ServerShutdown)
                {
                    Count("stream.ServerShutdown");
                    await ServerShutdownAsync();
                }

                if (Roll() < chaos.TradeQueryRateLimited)
                {
                    Count("query.MyTradesRateLimited");
                    lock (_gate)
                    {
                        RateLimitedTradeQueries++;
                    }
                }

                if (Roll() < chaos.LoseEvents)
                {
                    Count("stream.EventsLost");
                    var lose = TimeSpan.FromMilliseconds(Between(500, 2000));
                    LoseUserDataEvents = true;
                    await Task.Delay(lose, stop);
                    LoseUserDataEvents = false;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Chaos stopped.
        }
        finally
        {
            LoseUserDataEvents = false;
        }
    }

    private async Task HoldUntilAbandoned(HttpContext context)
    {
        try
        {
            await Task.Delay(_chaos?.HoldAnswer ?? TimeSpan.FromSeconds(30), CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token).Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its timeout), or the exchange stops.
        }

        context.Abort();
    }

    private void Track(Task work)
    {
        _chaosWork[work] = true;
        _ = work.ContinueWith(t => _chaosWork.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>The exchange's lot step (filter_LOT_SIZE.json).</summary>
    private const decimal Lot = 0.001m;

    private static decimal Lots(decimal quantity) => Math.Floor(quantity / Lot) * Lot;
}
