using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

/// <summary>The trading path queues the record and the trail's writer builds the event: in order, and one bad event loses only itself.</summary>
public sealed class FileAuditTrailTests
{
    private static Fill FillOf(string fillId, decimal price) =>
        new(fillId, "BTCUSDT-1-1", "BTCUSDT", OrderSide.Buy, 0.5m, price, 0.01m, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Deferred_events_are_written_in_queue_order_and_one_that_cannot_be_built_is_logged_and_skipped()
    {
        var path = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");
        using var logs = new CapturingLoggerProvider();
        await using var trail = new FileAuditTrail(Options.Create(new AuditOptions { Path = path }), new LoggerFactory([logs]).CreateLogger<FileAuditTrail>());
        IAuditSink sink = trail;
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        var first = FillOf("fill-1", 30_000m);
        sink.Write(() => AuditEvents.Fill(first, at));
        sink.Write(() => throw new InvalidOperationException("cannot describe this record"));
        sink.Write(new AuditEvent(at, AuditEventTypes.KillSwitch, null, null, "trading Halted: test", null));
        var third = FillOf("fill-3", 30_100m);
        sink.Write(() => AuditEvents.Fill(third, at.AddSeconds(1)));

        var written = await trail.QueryAsync(new AuditQuery(null, null, null, null, 10), CancellationToken.None);

        // Newest first; the event that could not be built is missing, the ones queued after it are not.
        Assert.Equal(["fill-3", null, "fill-1"], written.Select(e => e.Id));
        Assert.Equal("Buy 0.5 BTCUSDT at 30100, fee 0.01 (order BTCUSDT-1-1)", written[0].Summary);
        Assert.Equal(30_100m, written[0].Details!["price"]!.GetValue<decimal>());
        Assert.Single(logs.Lines, line => line.Contains("could not be built") && line.Contains("cannot describe this record"));
    }
}
