using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// Binance documents that requests sent while a 429's Retry-After is running lead to a 418 ban: a request waiting out
/// one hold must look again before it goes, since another answer may have extended the hold meanwhile.
/// </summary>
public sealed class BinanceRateLimitHoldTests
{
    private static BinanceBrokerOptions Options(TimeSpan maxRetryAfterWait)
    {
        var options = ScriptedBinanceVenue.Options();
        options.RequestTimeout = TimeSpan.FromMinutes(1);
        options.MaxRetryAfterWait = maxRetryAfterWait;
        return options;
    }

    private const string TooMuchWeight = """{"code":-1003,"msg":"Too much request weight used."}""";

    [Fact]
    public async Task A_request_waiting_out_a_hold_does_not_go_while_a_later_429_has_extended_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var start = time.GetUtcNow();
        var venue = new ScriptedBinanceVenue(time);
        var slowAnswer = new TaskCompletionSource<HttpResponseMessage>();
        venue.Answers["api/v3/slow"] = () => slowAnswer.Task;
        venue.Answers["api/v3/limited"] = () => Task.FromResult(ScriptedBinanceVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(1)));
        using var client = new BinanceRestClient(Options(maxRetryAfterWait: TimeSpan.FromSeconds(5)), time, NullLogger.Instance, venue);

        // In flight before any limit is known; its 429 (Retry-After 3 s) arrives while the next request waits out 1 s.
        var slow = client.GetAsync("api/v3/slow", [], signed: false, CancellationToken.None);
        await client.GetAsync("api/v3/limited", [], signed: false, CancellationToken.None);
        var waiting = client.GetAsync("api/v3/next", [], signed: false, CancellationToken.None);
        slowAnswer.SetResult(ScriptedBinanceVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(3)));
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
        var venue = new ScriptedBinanceVenue(time);
        var slowAnswer = new TaskCompletionSource<HttpResponseMessage>();
        venue.Answers["api/v3/slow"] = () => slowAnswer.Task;
        venue.Answers["api/v3/limited"] = () => Task.FromResult(ScriptedBinanceVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(1)));
        using var client = new BinanceRestClient(Options(maxRetryAfterWait: TimeSpan.FromSeconds(2)), time, NullLogger.Instance, venue);

        var slow = client.GetAsync("api/v3/slow", [], signed: false, CancellationToken.None);
        await client.GetAsync("api/v3/limited", [], signed: false, CancellationToken.None);
        var waiting = client.GetAsync("api/v3/next", [], signed: false, CancellationToken.None);
        slowAnswer.SetResult(ScriptedBinanceVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(30)));
        await slow;
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<BinanceRateLimitedException>(() => waiting);
        Assert.DoesNotContain(venue.Received, r => r.Path == "api/v3/next");
    }

    [Fact]
    public async Task A_rest_of_the_hold_below_a_millisecond_is_waited_not_spun_into_a_refusal()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var start = time.GetUtcNow();
        var venue = new ScriptedBinanceVenue(time);
        venue.Answers["api/v3/limited"] = () => Task.FromResult(ScriptedBinanceVenue.Json(HttpStatusCode.TooManyRequests, TooMuchWeight, TimeSpan.FromSeconds(1)));
        using var client = new BinanceRestClient(Options(maxRetryAfterWait: TimeSpan.FromSeconds(2)), time, NullLogger.Instance, venue);
        await client.GetAsync("api/v3/limited", [], signed: false, CancellationToken.None);

        // 999.6 ms of hold left: a timer counts whole milliseconds, so the first wait ends 0.6 ms before the hold does.
        time.Advance(TimeSpan.FromMilliseconds(0.4));
        var waiting = client.GetAsync("api/v3/next", [], signed: false, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted); // neither sent inside the hold nor refused: the rest is waited
        time.Advance(TimeSpan.FromMilliseconds(1));

        await waiting;
        Assert.Equal(start + TimeSpan.FromMilliseconds(1000.4), Assert.Single(venue.Received, r => r.Path == "api/v3/next").At);
    }
}
