using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// Fill monitoring: Binance's user-data stream over the WebSocket API (<c>userDataStream.subscribe.signature</c>;
/// the listenKey endpoints were retired on 2026-02-20). Each <c>executionReport</c> of one of our orders goes to
/// the execution grain of its symbol; a fill counts once however often it is reported. At start and after every
/// (re)subscription the execution grains of the configured symbols reconcile their unsettled orders by query, so
/// what happened while the stream was down is not lost; their timers keep polling as the fallback. When the account is
/// followed (<c>Testnet</c>, <c>Live</c>), its balance events (<c>outboundAccountPosition</c>, <c>balanceUpdate</c>) go to
/// the account grain, and a reconnect has the account read again too.
/// </summary>
public sealed class BinanceUserDataStream(
    BinanceBrokerOptions options,
    BinanceBroker broker,
    IGrainFactory grains,
    TradingMetrics metrics,
    TimeProvider time,
    ILogger<BinanceUserDataStream> logger,
    bool followsAccount = false) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private bool _malformedLogged;
    private int _subscriptions;

    /// <summary>Runs once the silo is active (grains can be called), until it stops.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BinanceUserDataStream), ServiceLifecycleStage.Active + 1, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReconcileAll(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Start-up reconciliation with binance failed; execution grains keep polling their unsettled orders");
        }

        var delay = options.StreamReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var subscriptionsBefore = _subscriptions;
            string why;
            var reconnectAtOnce = false;
            try
            {
                (why, reconnectAtOnce) = await RunOnce(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever failed (socket, refusal, a grain call timing out, the venue's circuit open), the stream is the
                // fills' fast path: it must come back, never end for good and leave only polling.
                why = $"{e.GetType().Name}: {e.Message}";
            }

            if (_subscriptions > subscriptionsBefore)
            {
                // The connection worked: this is a fresh failure, not one in a row.
                delay = options.StreamReconnectDelay;
            }

            if (reconnectAtOnce)
            {
                logger.LogInformation("Binance user-data stream: {Why}; reconnecting now", why);
                continue;
            }

            logger.LogWarning("Binance user-data stream ended ({Why}); reconnecting in {Delay}", why, delay);
            try
            {
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 4))), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }
    }

    /// <summary>One connection: subscribe, then hand every event on until the stream ends; says why, and whether to reconnect at once.</summary>
    private async Task<(string Why, bool ReconnectAtOnce)> RunOnce(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(options.WebSocketApiUrl), cancellationToken);
        var requestId = Guid.NewGuid().ToString();
        await socket.SendAsync(SubscribeRequest(requestId), WebSocketMessageType.Text, true, cancellationToken);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ($"closed by the server: {socket.CloseStatus} {socket.CloseStatusDescription}", false);
            }

            if (await Handle(buffer.WrittenMemory, requestId, cancellationToken) is { } ended)
            {
                return ended;
            }
        }
    }

    /// <summary>The signed subscription: apiKey and timestamp, signed as the WebSocket API signs (sorted, not encoded).</summary>
    private byte[] SubscribeRequest(string requestId)
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("apiKey", options.ApiKey),
            new("timestamp", broker.Client.ServerNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ];
        var signature = BinanceSignature.Sign(options.SecretKey, BinanceSignature.WebSocketApiPayload(parameters));
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", requestId);
            json.WriteString("method", "userDataStream.subscribe.signature");
            json.WriteStartObject("params");
            json.WriteString("apiKey", options.ApiKey);
            json.WriteNumber("timestamp", long.Parse(parameters[1].Value, CultureInfo.InvariantCulture));
            json.WriteString("signature", signature);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Handles one frame; returns why the stream ended when it did, and whether to reconnect at once.</summary>
    private async Task<(string Why, bool ReconnectAtOnce)?> Handle(ReadOnlyMemory<byte> frame, string requestId, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(frame);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Malformed(frame, e.Message);
            return null;
        }

        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == requestId)
        {
            if (root.TryGetProperty("status", out var status) && status.GetInt32() == 200)
            {
                _subscriptions++;
                logger.LogInformation("Binance user-data stream subscribed (subscription {Count})", _subscriptions);
                await ReconcileAll(cancellationToken);
                if (followsAccount && _subscriptions > 1)
                {
                    // Balance events may have been lost while it was down (the first subscription follows the start's read).
                    await grains.GetGrain<IAccountGrain>(0).Reconcile("user-data stream reconnected");
                }

                return null;
            }

            throw new BinanceStreamRefusedException(root.TryGetProperty("error", out var error) ? error.ToString() : root.ToString());
        }

        if (!root.TryGetProperty("event", out var payload) || !payload.TryGetProperty("e", out var type))
        {
            return null;
        }

        switch (type.GetString())
        {
            case "executionReport":
                try
                {
                    await Route(payload, cancellationToken);
                }
                catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
                {
                    Malformed(frame, e.Message);
                }

                return null;
            case "outboundAccountPosition" when followsAccount:
                await Account(frame, () => grains.GetGrain<IAccountGrain>(0).OnPositionUpdate(PositionUpdate(payload)));
                return null;
            case "balanceUpdate" when followsAccount:
                await Account(frame, () => grains.GetGrain<IAccountGrain>(0).OnTransfer(new BalanceTransfer(
                    payload.GetProperty("a").GetString()!, BinanceBroker.Decimal(payload, "d"), DateTimeOffset.FromUnixTimeMilliseconds(payload.GetProperty("T").GetInt64()))));
                return null;
            case "eventStreamTerminated":
                return ("Binance terminated the event stream", false);
            case "serverShutdown":
                // The server is about to go down: reconnect now, before the cut, instead of after a failure and a delay.
                return ("serverShutdown notice", true);
            default:
                return null; // without a followed account, balances are the portfolio's own, from fills
        }
    }

    /// <summary>Hands an account event on (one-way: the stream does not wait for a reconciliation's read); a malformed one is counted.</summary>
    private async Task Account(ReadOnlyMemory<byte> frame, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException or ArgumentNullException)
        {
            Malformed(frame, e.Message);
        }
    }

    /// <summary>An <c>outboundAccountPosition</c>: <c>B</c> [{<c>a</c>, <c>f</c>, <c>l</c>}] as of <c>u</c>, the account's last update.</summary>
    private static AccountPositionUpdate PositionUpdate(JsonElement payload) => new(
        [.. payload.GetProperty("B").EnumerateArray().Select(b => new AssetBalance(b.GetProperty("a").GetString()!, BinanceBroker.Decimal(b, "f"), BinanceBroker.Decimal(b, "l")))],
        DateTimeOffset.FromUnixTimeMilliseconds(payload.GetProperty("u").GetInt64()));

    /// <summary>An executionReport as a report on our child order, to the execution grain of its symbol.</summary>
    private async Task Route(JsonElement report, CancellationToken cancellationToken)
    {
        var executionType = report.GetProperty("x").GetString();
        var venueId = executionType == "CANCELED" && report.GetProperty("C").GetString() is { Length: > 0 } original ? original : report.GetProperty("c").GetString()!;
        var symbol = report.GetProperty("s").GetString()!;
        if (broker.OurClientOrderId(venueId) is not { } ours)
        {
            logger.LogDebug("executionReport for {ClientOrderId}, not an order of ours", venueId);
            return;
        }

        var side = report.GetProperty("S").GetString() == "BUY" ? OrderSide.Buy : OrderSide.Sell;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(report.GetProperty("T").GetInt64());
        var request = new OrderRequest(ours, symbol, side, BinanceBroker.Decimal(report, "q"), BinanceBroker.Decimal(report, "L"), at);
        IReadOnlyList<Fill> fills = [];
        if (executionType == "TRADE")
        {
            var rules = await broker.RulesFor(symbol, cancellationToken);
            var commission = BinanceBroker.Decimal(report, "n");
            var asset = report.GetProperty("N").ValueKind == JsonValueKind.String ? report.GetProperty("N").GetString() : null;
            fills = [broker.ToFill(request, rules, report.GetProperty("t").GetInt64(), BinanceBroker.Decimal(report, "l"), BinanceBroker.Decimal(report, "L"), commission, asset, at)];
        }

        var status = BinanceBroker.MapStatus(report.GetProperty("X").GetString());
        var reason = status == OrderStatus.Rejected ? $"binance rejected it: {report.GetProperty("r").GetString()}" : null;
        var ack = new OrderAck(ours, report.GetProperty("i").GetInt64().ToString(CultureInfo.InvariantCulture), status, fills, reason, time.GetUtcNow(),
            BinanceBroker.Decimal(report, "z"), BinanceBroker.Decimal(report, "q"));
        if (!await grains.GetGrain<IExecutionGrain>(symbol).OnVenueReport(ack))
        {
            logger.LogDebug("executionReport for {ClientOrderId}: no execution grain of {Symbol} knows it", ours, symbol);
        }
    }

    private async Task ReconcileAll(CancellationToken cancellationToken)
    {
        foreach (var symbol in options.TradedSymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<IExecutionGrain>(symbol).Reconcile();
        }
    }

    private void Malformed(ReadOnlyMemory<byte> frame, string error)
    {
        metrics.MalformedMarketData("binance-user-data");
        if (!_malformedLogged)
        {
            _malformedLogged = true;
            logger.LogWarning("Skipping a malformed user-data frame ({Error}): {Frame} (logged once; counted in trading_market_data_malformed)",
                error, Encoding.UTF8.GetString(frame.Span[..Math.Min(frame.Length, 300)]));
        }
    }
}

/// <summary>Binance refused the user-data subscription (bad key or signature, ban).</summary>
public sealed class BinanceStreamRefusedException(string error) : Exception($"Binance refused the user-data subscription: {error}");
