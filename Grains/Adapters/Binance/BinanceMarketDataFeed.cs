using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// Binance's combined market stream over one WebSocket: every frame is stamped with its ingest time, parsed and
/// published. The connection is re-established with exponential backoff and jitter after any failure, renewed
/// before Binance's 24-hour cut-off or on a <c>serverShutdown</c> notice, and trade-id gaps are reported.
/// </summary>
public sealed class BinanceMarketDataFeed(
    IMarketDataPublisher publisher,
    IOptions<BinanceMarketDataOptions> options,
    TimeProvider time,
    TradingMetrics metrics,
    ILogger<BinanceMarketDataFeed> logger)
{
    private readonly Dictionary<string, long> _lastTradeIds = new(StringComparer.Ordinal);
    private bool _malformedLogged;

    /// <summary>Connections made so far (the first one included).</summary>
    public int Connections { get; private set; }

    /// <summary>Trades missing between consecutive trade ids, summed over all symbols.</summary>
    public long MissedTrades { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var connect = new ResiliencePipelineBuilder<ClientWebSocket>()
            .AddRetry(new RetryStrategyOptions<ClientWebSocket>
            {
                ShouldHandle = new PredicateBuilder<ClientWebSocket>().Handle<WebSocketException>().Handle<HttpRequestException>().Handle<IOException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.InitialReconnectDelay,
                MaxDelay = settings.MaxReconnectDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = retry =>
                {
                    logger.LogWarning(retry.Outcome.Exception, "Binance stream connect failed (attempt {Attempt}); retrying in {Delay}", retry.AttemptNumber + 1, retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        // Runs until cancelled, and always ends then with OperationCanceledException (also when the cancel came first).
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var socket = await connect.ExecuteAsync(Connect, cancellationToken);
            var connectedAt = time.GetTimestamp();
            var reason = await ReceiveUntilClosed(socket, settings.ReconnectAfter, cancellationToken);
            logger.LogWarning("Binance stream disconnected ({Reason}); reconnecting", reason);
            await CloseQuietly(socket);
            if (time.GetElapsedTime(connectedAt) < settings.InitialReconnectDelay * 5 && !cancellationToken.IsCancellationRequested)
            {
                // A server that accepts and drops at once must not be hammered (Binance bans IPs for that).
                await Task.Delay(settings.InitialReconnectDelay, time, cancellationToken);
            }
        }
    }

    private async ValueTask<ClientWebSocket> Connect(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(options.Value.StreamUri(), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Connections++;
        logger.LogInformation("Connected to {Uri} (connection {Count})", options.Value.StreamUri(), Connections);
        return socket;
    }

    /// <summary>Reads frames until the socket closes, fails, Binance announces a shutdown, or the connection is due for renewal.</summary>
    private async Task<string> ReceiveUntilClosed(ClientWebSocket socket, TimeSpan renewAfter, CancellationToken cancellationToken)
    {
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        renewal.CancelAfter(renewAfter);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(4096), renewal.Token);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"closed by the server: {socket.CloseStatus} {socket.CloseStatusDescription}";
                }

                if (await Handle(buffer.WrittenSpan.ToArray()) == BinanceFrameKind.ServerShutdown)
                {
                    return "serverShutdown notice";
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"renewing the connection after {renewAfter}";
        }
        catch (Exception exception) when (exception is WebSocketException or IOException)
        {
            return exception.Message;
        }
    }

    private async Task<BinanceFrameKind> Handle(byte[] frame)
    {
        var parsed = BinanceStreamParser.Parse(frame, time.GetUtcNow());
        switch (parsed.Record)
        {
            case MarketTick tick:
                TrackGap(tick);
                await publisher.PublishAsync(tick);
                break;
            case Quote quote:
                await publisher.PublishAsync(quote);
                break;
            case Candle candle:
                await publisher.PublishAsync(candle);
                break;
        }

        if (parsed.Kind == BinanceFrameKind.Malformed)
        {
            metrics.MalformedMarketData("binance");
            if (!_malformedLogged)
            {
                logger.LogWarning("Skipped a malformed Binance frame ({Error}); further ones are only counted", parsed.Error);
                _malformedLogged = true;
            }
        }

        return parsed.Kind;
    }

    private void TrackGap(MarketTick tick)
    {
        if (_lastTradeIds.TryGetValue(tick.Symbol, out var last) && tick.TradeId > last + 1)
        {
            var missed = tick.TradeId - last - 1;
            MissedTrades += missed;
            logger.LogWarning("{Symbol}: {Missed} trades missed between ids {Last} and {Next}", tick.Symbol, missed, last, tick.TradeId);
        }

        if (!_lastTradeIds.TryGetValue(tick.Symbol, out last) || tick.TradeId > last)
        {
            _lastTradeIds[tick.Symbol] = tick.TradeId;
        }
    }

    private static async Task CloseQuietly(ClientWebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The peer is gone already; the socket is disposed either way.
            }
        }
    }
}
