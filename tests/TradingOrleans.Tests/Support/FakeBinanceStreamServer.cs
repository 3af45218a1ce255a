using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// A WebSocket server on 127.0.0.1 that speaks Binance's combined-stream protocol: each connection gets the next
/// script of frames, after which the server drops it (abort), closes it, or holds it open.
/// </summary>
public sealed class FakeBinanceStreamServer : IAsyncDisposable
{
    public enum Ending
    {
        Abort,
        Close,
        HoldOpen,
    }

    private readonly WebApplication _app;
    private readonly Queue<(IReadOnlyList<string> Frames, Ending Ending)> _scripts;
    private readonly CancellationTokenSource _stopping = new();

    private FakeBinanceStreamServer(WebApplication app, IEnumerable<(IReadOnlyList<string>, Ending)> scripts)
    {
        _app = app;
        _scripts = new(scripts);
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The request paths and queries the client connected with.</summary>
    public List<string> Requests { get; } = [];

    public static async Task<FakeBinanceStreamServer> StartAsync(params (IReadOnlyList<string> Frames, Ending Ending)[] scripts)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeBinanceStreamServer(app, scripts);
        app.UseWebSockets();
        app.Map("/stream", server.Serve);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = address.Replace("http://", "ws://");
        return server;
    }

    private async Task Serve(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        (IReadOnlyList<string> Frames, Ending Ending) script;
        lock (_scripts)
        {
            Requests.Add($"{context.Request.Path}{context.Request.QueryString}");
            script = _scripts.Count > 0 ? _scripts.Dequeue() : ([], Ending.HoldOpen);
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        foreach (var frame in script.Frames)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, _stopping.Token);
        }

        switch (script.Ending)
        {
            case Ending.Abort:
                // Give the frames time to be read: an abort resets the TCP connection, and the client's kernel
                // discards what it has received but not yet read (a loaded test machine can take a while).
                await Task.Delay(1_000);
                socket.Abort();
                break;
            case Ending.Close:
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                break;
            default:
                try
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    // The test is over.
                }

                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
