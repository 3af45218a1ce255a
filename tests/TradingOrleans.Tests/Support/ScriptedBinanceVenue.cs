using System.Net;
using System.Text;
using TradingOrleans.Grains.Adapters.Binance;

namespace TradingOrleans.Tests.Support;

/// <summary>Answers each request with what the test scripted for its path, recording when it arrived (fake time).</summary>
internal sealed class ScriptedBinanceVenue(TimeProvider time) : HttpMessageHandler
{
    public Dictionary<string, Func<Task<HttpResponseMessage>>> Answers { get; } = [];

    public List<(string Path, DateTimeOffset At)> Received { get; } = [];

    /// <summary>Options of a client this venue answers: its address is never dialled, the handler answers instead.</summary>
    public static BinanceBrokerOptions Options() => new()
    {
        RestBaseUrl = "http://127.0.0.1:9/",
        ApiKey = "key",
        SecretKey = "secret",
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        lock (Received)
        {
            Received.Add((path, time.GetUtcNow()));
        }

        return Answers.TryGetValue(path, out var answer) ? await answer() : Json(HttpStatusCode.OK, "{}");
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }
}
