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
        sink.Write(new AuditEvent(at, AuditEventTypes.KillSwitch, null, null, "trading Halted: test", null, AuditActor.System));
        var third = FillOf("fill-3", 30_100m);
        sink.Write(() => AuditEvents.Fill(third, at.AddSeconds(1)));

        var written = await trail.QueryAsync(new AuditQuery(null, null, null, null, 10), CancellationToken.None);

        // Newest first; the event that could not be built is missing, the ones queued after it are not.
        Assert.Equal(["fill-3", null, "fill-1"], written.Select(e => e.Id));
        Assert.Equal("Buy 0.5 BTCUSDT at 30100, fee 0.01 (order BTCUSDT-1-1)", written[0].Summary);
        Assert.Equal(30_100m, written[0].Details!["price"]!.GetValue<decimal>());
        Assert.Single(logs.Lines, line => line.Contains("could not be built") && line.Contains("cannot describe this record"));
    }

    private static AuditEvent KillSwitch(int n, string? symbol = null) =>
        new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddSeconds(n), AuditEventTypes.KillSwitch, symbol, $"event-{n}", $"event {n}", null, AuditActor.System);

    private static FileAuditTrail Open(string path) => new(Options.Create(new AuditOptions { Path = path }), new LoggerFactory().CreateLogger<FileAuditTrail>());

    [Fact]
    public async Task The_latest_events_are_answered_from_memory_and_a_read_memory_cannot_answer_whole_reads_the_file()
    {
        var path = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");
        await using (var before = Open(path))
        {
            for (var n = 1; n <= 3; n++)
            {
                before.Write(KillSwitch(n, "ETHUSDT"));
            }

            await before.FlushAsync();
        }

        // A new process: the file holds events 1–3, memory nothing yet.
        await using var trail = Open(path);
        for (var n = 4; n <= 8; n++)
        {
            trail.Write(KillSwitch(n, n % 2 == 0 ? "BTCUSDT" : null));
        }

        await trail.FlushAsync();
        var fileLines = await File.ReadAllLinesAsync(path);
        Assert.Equal(8, fileLines.Length);

        // Answered whole from memory: the file's content no longer matters to them.
        await File.WriteAllTextAsync(path, "");
        Assert.Equal(["event-8", "event-7", "event-6"], (await trail.QueryAsync(new AuditQuery(null, null, null, null, 3), CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(["event-8", "event-6"], (await trail.QueryAsync(new AuditQuery(null, "BTCUSDT", null, null, 2), CancellationToken.None)).Select(e => e.Id));

        // More than memory has (and it does not hold the whole file): the file is read.
        await File.WriteAllLinesAsync(path, fileLines);
        Assert.Equal(Enumerable.Range(1, 8).Reverse().Select(n => $"event-{n}"), (await trail.QueryAsync(new AuditQuery(null, null, null, null, 100), CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(["event-3", "event-2"], (await trail.QueryAsync(new AuditQuery(null, "ETHUSDT", null, null, 2), CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(["event-5"], (await trail.QueryAsync(new AuditQuery(null, null, KillSwitch(5).At, KillSwitch(6).At, 10), CancellationToken.None)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_trail_started_on_an_empty_file_answers_any_read_from_memory_until_its_oldest_event_leaves()
    {
        var path = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");
        await using var trail = Open(path);
        for (var n = 1; n <= 5; n++)
        {
            trail.Write(KillSwitch(n));
        }

        await trail.FlushAsync();
        var fileLines = await File.ReadAllLinesAsync(path);
        await File.WriteAllTextAsync(path, "");

        Assert.Equal(Enumerable.Range(1, 5).Reverse().Select(n => $"event-{n}"), (await trail.QueryAsync(new AuditQuery(null, null, null, null, 100), CancellationToken.None)).Select(e => e.Id));
        Assert.Empty(await trail.QueryAsync(new AuditQuery(null, "BTCUSDT", null, null, 100), CancellationToken.None));

        // Once more events were written than memory keeps, a read for more than memory has goes to the file.
        await File.WriteAllLinesAsync(path, fileLines);
        for (var n = 6; n <= FileAuditTrail.RecentKept + 5; n++)
        {
            trail.Write(KillSwitch(n));
        }

        await trail.FlushAsync();
        Assert.Equal(FileAuditTrail.RecentKept + 5, (await trail.QueryAsync(new AuditQuery(null, null, null, null, 10_000), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Changes_since_a_position_come_from_memory_and_a_position_memory_no_longer_covers_reads_the_files_whole()
    {
        var path = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");
        await using (var before = Open(path))
        {
            before.Write(KillSwitch(1));
            await before.FlushAsync();
        }

        // A new process: no position yet, so the files are read whole (event 1, from before), oldest first.
        await using var trail = Open(path);
        trail.Write(KillSwitch(2));
        trail.Write(AuditEvents.Fill(FillOf("fill-1", 30_000m), KillSwitch(3).At));
        var whole = await trail.ChangesAsync(AuditEventTypes.KillSwitch, null, CancellationToken.None);
        Assert.True(whole.Whole);
        Assert.Equal(["event-1", "event-2"], whole.Events.Select(e => e.Id));

        // Since that position: only what was written after it, of the type asked, oldest first, from memory (the file
        // emptied behind the trail's back shows it is not read).
        for (var n = 4; n <= 6; n++)
        {
            trail.Write(KillSwitch(n));
        }

        await trail.FlushAsync();
        var fileLines = await File.ReadAllLinesAsync(path);
        await File.WriteAllTextAsync(path, "");
        var since = await trail.ChangesAsync(AuditEventTypes.KillSwitch, whole.Position, CancellationToken.None);
        Assert.False(since.Whole);
        Assert.Equal(["event-4", "event-5", "event-6"], since.Events.Select(e => e.Id));
        Assert.Empty((await trail.ChangesAsync(AuditEventTypes.KillSwitch, since.Position, CancellationToken.None)).Events);

        // More events since a position than memory keeps, or a position this trail never gave: read whole again.
        await File.WriteAllLinesAsync(path, fileLines);
        for (var n = 7; n <= FileAuditTrail.RecentKept + 7; n++)
        {
            trail.Write(KillSwitch(n));
        }

        var behind = await trail.ChangesAsync(AuditEventTypes.KillSwitch, since.Position, CancellationToken.None);
        Assert.True(behind.Whole);
        Assert.Equal(FileAuditTrail.RecentKept + 6, behind.Events.Count);
        Assert.Equal("event-1", behind.Events[0].Id);
        Assert.True((await trail.ChangesAsync(AuditEventTypes.KillSwitch, behind.Position + 1, CancellationToken.None)).Whole);
        Assert.False((await trail.ChangesAsync(AuditEventTypes.KillSwitch, behind.Position, CancellationToken.None)).Whole);
    }

    [Fact]
    public async Task A_read_of_a_closed_trail_answers_instead_of_waiting_for_a_writer_that_has_ended()
    {
        // As when a request reaches the API while the silo that owns the trail shuts down: the read used to wait forever
        // for a flush no writer would reach.
        var trail = Open(Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl"));
        trail.Write(KillSwitch(1));
        await trail.DisposeAsync();

        var read = await trail.QueryAsync(new AuditQuery(null, null, null, null, 10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["event-1"], read.Select(e => e.Id));
        Assert.Equal(["event-1"], (await trail.ChangesAsync(AuditEventTypes.KillSwitch, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Events.Select(e => e.Id));
    }
}
