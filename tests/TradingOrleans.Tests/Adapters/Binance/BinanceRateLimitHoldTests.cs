using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Binance;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// Binance documents that requests sent while a 429's Retry-After is running lead to a 418 ban: a request waiting out
/// one hold must look again before it goes, since another answer may have extended the hold meanwhile.
/// </summary>
public sealed class BinanceRateLimitHoldTests
{
    /// <summary>Answers each request with what the test scripted for its path, recording when it arrived (fake time).</summary>
    private sealed class ScriptedVenue(TimeProvider time) : HttpMessageHandler
    {
        public Dictionary<string, Func<Task<HttpResponseMessage>>> Answers { get; } = [];

        public List<(string Path, DateTimeOffset At)> Received { get; } = [];

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

    private static BinanceBrokerOptions Options(TimeSpan maxRetryAfterWait) => new()
    {
        RestBaseUrl = "http://127.0.0.1:9/", // never dialled: the scripted handler answers
        ApiKey = "key",
        SecretKey = "secret",
        RequestTimeout = TimeSpan.FromMinutes(1),
        MaxRetryAfterWait = maxRetryAfterWait,
    };

    private const string TooMuchWeight = """{"code":-1003,"msg":"Too much request weight used."}""";

    [Fact]
    public async Task A_request_waiting_out_a_hold_does_not_go_while_a_later_429_has_extended_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var start = time.GetUtcNow();
        var venue = new ScriptedVenue(time);
        var slowAnswer = new TaskCompletionSource<HttpResponseMessage>();
        venue.Answers["api/v3/slow"] = () => slowAnswer.Task;
        venue.Answers["api/v3/limited"] = () => Task.FromResult(ScriptedVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(1)));
        using var client = new BinanceRestClient(Options(maxRetryAfterWait: TimeSpan.FromSeconds(5)), time, NullLogger.Instance, venue);

        // In flight before any limit is known; its 429 (Retry-After 3 s) arrives while the next request waits out 1 s.
        var slow = client.GetAsync("api/v3/slow", [], signed: false, CancellationToken.None);
        await client.GetAsync("api/v3/limited", [], signed: false, CancellationToken.None);
        var waiting = client.GetAsync("api/v3/next", [], signed: false, CancellationToken.None);
        slowAnswer.SetResult(ScriptedVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(3)));
        await slow;

        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.DoesNotContain(venue.Received, r => r.Path == "api/v3/next");

        time.Advance(TimeSpan.FromSeconds(2));
        await waiting;
        Assert.Equal(start + TimeSpan.FromSeconds(3), Assert.Single(venue.Received, r => r.Path == "api/v3/next").At);
    }

    [Fact]
    public async Task A_hold_extended_past_the_longest_wait_refuses_the_request_instead_of_sending_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var venue = new ScriptedVenue(time);
        var slowAnswer = new TaskCompletionSource<HttpResponseMessage>();
        venue.Answers["api/v3/slow"] = () => slowAnswer.Task;
        venue.Answers["api/v3/limited"] = () => Task.FromResult(ScriptedVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(1)));
        using var client = new BinanceRestClient(Options(maxRetryAfterWait: TimeSpan.FromSeconds(2)), time, NullLogger.Instance, venue);

        var slow = client.GetAsync("api/v3/slow", [], signed: false, CancellationToken.None);
        await client.GetAsync("api/v3/limited", [], signed: false, CancellationToken.None);
        var waiting = client.GetAsync("api/v3/next", [], signed: false, CancellationToken.None);
        slowAnswer.SetResult(ScriptedVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(30)));
        await slow;
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<BinanceRateLimitedException>(() => waiting);
        Assert.DoesNotContain(venue.Received, r => r.Path == "api/v3/next");
    }
}
