using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

/// <summary>The trail's file rotates by size and by UTC day, retention deletes the oldest files, and reads cover every file kept.</summary>
public sealed class AuditRotationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);

    private static AuditEvent Numbered(int n) =>
        new(Start.AddSeconds(n), AuditEventTypes.KillSwitch, null, $"event-{n}", $"event {n}: {new string('x', 100)}", null, AuditActor.System);

    private static FileAuditTrail Open(string path, AuditOptions options, TimeProvider clock)
    {
        options.Path = path;
        return new FileAuditTrail(Options.Create(options), NullLogger<FileAuditTrail>.Instance, clock);
    }

    private static string NewTrailPath() => Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");

    private static async Task<int[]> NumbersRead(FileAuditTrail trail) =>
        [.. (await trail.QueryAsync(new AuditQuery(null, null, null, null, 10_000), CancellationToken.None)).Select(e => int.Parse(e.Id!["event-".Length..]))];

    [Fact]
    public async Task Events_written_across_several_size_rotations_read_back_in_order_and_retention_deletes_the_oldest_files()
    {
        var path = NewTrailPath();
        var options = new AuditOptions { MaxFileBytes = 2_000, RotateDaily = false, RetainFiles = 3 };
        var clock = new FakeTimeProvider(Start);
        await using (var trail = Open(path, options, clock))
        {
            var start = await trail.ChangesAsync(AuditEventTypes.KillSwitch, null, CancellationToken.None);

            // Some batches of one event, some of many, so a rotation falls both between and inside batches.
            for (var n = 0; n < 120; n++)
            {
                ((IAuditSink)trail).Write(Numbered(n));
                if (n % 7 == 0)
                {
                    await trail.FlushAsync();
                }

                clock.Advance(TimeSpan.FromSeconds(1));
            }

            var read = await NumbersRead(trail);
            var oldestKept = read[^1];
            Assert.True(oldestKept > 0, "retention deleted the oldest files");
            Assert.Equal(Enumerable.Range(oldestKept, 120 - oldestKept).Reverse(), read);

            // The changes since the start are more than the files keep: a reader of changes is sent the files whole.
            var changes = await trail.ChangesAsync(AuditEventTypes.KillSwitch, start.Position, CancellationToken.None);
            Assert.True(changes.Whole);
            Assert.Equal(read.Reverse(), changes.Events.Select(e => int.Parse(e.Id!["event-".Length..])));
        }

        var folder = Path.GetDirectoryName(path)!;
        var rotated = Directory.GetFiles(folder, "audit.*.jsonl").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, rotated.Length);
        Assert.Matches(@"audit\.\d{6}\.\d{8}T\d{6}Z\.jsonl$", rotated[0]);
        Assert.All(rotated.Append(path), file => Assert.InRange(new FileInfo(file).Length, 1, 2_000));

        // What the files hold, read by a fresh process: every event once, none lost at a boundary, newest first.
        var lines = rotated.Append(path).SelectMany(File.ReadLines).ToArray();
        await using var restarted = Open(path, options, clock);
        var reread = await NumbersRead(restarted);
        Assert.Equal(lines.Length, reread.Length);
        Assert.Equal(Enumerable.Range(reread[^1], reread.Length).Reverse(), reread);
        Assert.Equal(119, reread[0]);
    }

    [Fact]
    public async Task The_file_rotates_at_the_first_write_of_a_new_utc_day_and_files_past_the_retained_days_are_deleted()
    {
        var path = NewTrailPath();
        var options = new AuditOptions { MaxFileBytes = null, RotateDaily = true, RetainDays = 2 };
        var clock = new FakeTimeProvider(Start);
        await using var trail = Open(path, options, clock);

        for (var day = 0; day < 5; day++)
        {
            ((IAuditSink)trail).Write(Numbered(2 * day));
            ((IAuditSink)trail).Write(Numbered(2 * day + 1));
            await trail.FlushAsync();
            clock.Advance(TimeSpan.FromDays(1));
        }

        // Days 0–3 rotated as days 1–4 began; on day 4 the file rotated on day 1 is more than two days old, day 2's exactly two.
        var rotated = Directory.GetFiles(Path.GetDirectoryName(path)!, "audit.*.jsonl").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["audit.000002.20261208T220000Z.jsonl", "audit.000003.20261209T220000Z.jsonl", "audit.000004.20261210T220000Z.jsonl"], rotated);
        int[] kept = [9, 8, 7, 6, 5, 4, 3, 2];
        Assert.Equal(kept, await NumbersRead(trail));
    }
}
