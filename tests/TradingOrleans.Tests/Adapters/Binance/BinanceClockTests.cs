using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// Signed requests carry Binance's clock as we estimate it (ours plus a measured offset); Binance refuses one whose
/// timestamp is outside its recvWindow, so the estimate must hold when the measuring request was retried.
/// </summary>
public sealed class BinanceClockTests
{
    [Fact]
    public async Task The_clock_offset_comes_from_the_round_trip_of_the_attempt_that_answered_not_from_a_failed_one_before_it()
    {
        var venue = new ScriptedBinanceVenue(TimeProvider.System);
        var attempts = 0;
        venue.Answers["api/v3/time"] = async () =>
        {
            if (++attempts == 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(600)); // slow, then failed: retried
                return ScriptedBinanceVenue.Json(HttpStatusCode.ServiceUnavailable, "<html>503</html>");
            }

            // Binance's clock runs 5 s ahead of ours.
            return ScriptedBinanceVenue.Json(HttpStatusCode.OK, $$"""{"serverTime":{{DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeMilliseconds()}}}""");
        };
        var options = ScriptedBinanceVenue.Options();
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        using var client = new BinanceRestClient(options, TimeProvider.System, NullLogger.Instance, venue);

        await client.SyncTimeAsync(force: true, CancellationToken.None);

        // Measured from the first attempt's send, the offset would be short by half the failed attempt (~300 ms).
        Assert.Equal(2, attempts);
        Assert.InRange((client.ServerNow - DateTimeOffset.UtcNow).TotalMilliseconds, 4_900, 5_100);
    }
}
