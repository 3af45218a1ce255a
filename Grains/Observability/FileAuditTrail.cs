using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradingOrleans.Grains.Observability;

/// <summary>
/// The audit trail as an append-only JSON-lines file: events are queued without blocking, written by one
/// background writer in order, and flushed after every batch; nothing is ever rewritten. The file rotates by size or
/// UTC day and old rotated files are deleted as <see cref="AuditOptions"/> say; reads cover every file kept. The newest events written
/// are also kept in memory, so the usual read — the latest few, as a dashboard polls them — does not read the file;
/// a read they cannot answer whole scans it. Memory knows only what this process wrote: the file is taken to have
/// one writer, as in the embedded mode that serves reads (in cluster mode the API has no trail to read).
/// </summary>
public sealed class FileAuditTrail : IAuditSink, IAuditReader, IAsyncDisposable
{
    /// <summary>How audit events are written and read back (web naming, enums as strings).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    // Events still to build: the grains queue the record and the writer loop makes its summary and JSON.
    private readonly Channel<Func<AuditEvent>> _queue = Channel.CreateUnbounded<Func<AuditEvent>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly AuditFiles _files;
    private readonly TimeProvider _wallClock;

    // The current file as the writer left it: its length and the UTC day of its last write (null while it is empty).
    private long _currentBytes;
    private DateOnly? _currentDay;
    private readonly ILogger<FileAuditTrail> _logger;
    private readonly Task _writer;
    private readonly SemaphoreSlim _fileLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource> _flushRequests = new();

    /// <summary>Queued by <see cref="FlushAsync"/>: the writer releases the flush when it reaches it.</summary>
    private static readonly Func<AuditEvent> FlushMarker = () => throw new InvalidOperationException("The flush marker is not an event.");
    private int _buildFailuresLogged;

    /// <summary>Events kept in memory: the newest this many written by this process.</summary>
    public const int RecentKept = 2_000;

    // The newest events on disk, oldest first (a ring), each with its line as written: a reader gets its own copy.
    private readonly RecentEvent[] _recent = new RecentEvent[RecentKept];
    private readonly Lock _recentLock = new();
    private int _recentNext;
    private int _recentCount;

    // True while the ring holds every event of the file: it started empty and nothing has left the ring.
    private bool _recentHoldsAll;

    // Where the trail stands for ChangesAsync: the events written, plus one for each time memory was dropped.
    private long _position;

    public FileAuditTrail(IOptions<AuditOptions> options, ILogger<FileAuditTrail> logger)
        : this(options, logger, TimeProvider.System)
    {
    }

    /// <param name="wallClock">Decides the day a file rotates on: the machine's, not the market's (replays and backtests run on market time).</param>
    internal FileAuditTrail(IOptions<AuditOptions> options, ILogger<FileAuditTrail> logger, TimeProvider wallClock)
    {
        _path = System.IO.Path.GetFullPath(options.Value.Path);
        _logger = logger;
        _wallClock = wallClock;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        _files = new AuditFiles(_path, options.Value);
        _files.ApplyRetention(wallClock.GetUtcNow());
        if (File.Exists(_path) && new FileInfo(_path) is { Length: > 0 } current)
        {
            (_currentBytes, _currentDay) = (current.Length, DateOnly.FromDateTime(current.LastWriteTimeUtc));
        }

        _recentHoldsAll = _files.OldestFirst().All(file => new FileInfo(file).Length == 0);
        _writer = Task.Run(WriteLoop);
    }

    public string FilePath => _path;

    public void Write(AuditEvent auditEvent) => _queue.Writer.TryWrite(() => auditEvent);

    public void Write(Func<AuditEvent> build) => _queue.Writer.TryWrite(build);

    /// <summary>Completes once every event queued so far is on disk (or the trail is closed and its writer has ended).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushRequests.Enqueue(marker);
        if (!_queue.Writer.TryWrite(FlushMarker))
        {
            // Closed: no writer will reach a marker any more. What was queued before is written when the writer ends;
            // this request stays last in the queue, so the writer's remaining markers release the earlier ones.
            await _writer.WaitAsync(cancellationToken);
            return;
        }

        await marker.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (FromRecent(query) is { } recent)
        {
            return recent;
        }

        await _fileLock.WaitAsync(cancellationToken);
        try
        {
            return [.. (await ReadFilesAsync(query, cancellationToken)).Reverse()];
        }
        finally
        {
            _fileLock.Release();
        }
    }

    /// <summary>
    /// From memory when it holds every event since <paramref name="position"/>; else the files whole. A position counts
    /// the events this process wrote, and one more each time memory was dropped (a failed write, retention), so that
    /// a position from before a drop is read whole again.
    /// </summary>
    public async Task<AuditChanges> ChangesAsync(string type, long? position, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (position is { } since && RecentSince(type, since) is { } recent)
        {
            return recent;
        }

        await _fileLock.WaitAsync(cancellationToken);
        try
        {
            // The writer holds the file lock while it writes a batch and counts it: the files hold exactly the events
            // before this position.
            long through;
            lock (_recentLock)
            {
                through = _position;
            }

            return new AuditChanges([.. await ReadFilesAsync(new AuditQuery(type, null, null, null, int.MaxValue), cancellationToken)], through, Whole: true);
        }
        finally
        {
            _fileLock.Release();
        }
    }

    /// <summary>The newest <see cref="AuditQuery.Limit"/> matches in the files, oldest first; called holding the file lock.</summary>
    private async Task<Queue<AuditEvent>> ReadFilesAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var matches = new Queue<AuditEvent>();

        // Oldest file first, each from its start: the queue ends holding the newest matches in the order written.
        foreach (var path in _files.OldestFirst())
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0 || JsonSerializer.Deserialize<AuditEvent>(line, Json) is not { } entry || !Matches(entry, query))
                {
                    continue;
                }

                matches.Enqueue(entry);
                if (matches.Count > query.Limit)
                {
                    matches.Dequeue();
                }
            }
        }

        return matches;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Builds a queued event; one that cannot be built is logged (the first ten) and skipped, the trail goes on.</summary>
    private AuditEvent? Build(Func<AuditEvent> build)
    {
        try
        {
            return build();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            if (++_buildFailuresLogged <= 10)
            {
                _logger.LogError(exception, "An audit event could not be built and is missing from {Path}", _path);
            }

            return null;
        }
    }

    private static bool Matches(AuditEvent entry, AuditQuery query) => Matches(entry.At, entry.Type, entry.Symbol, query);

    private static bool Matches(DateTimeOffset at, string type, string? symbol, AuditQuery query) =>
        (query.Type is null || type == query.Type)
        && (query.Symbol is null || symbol == query.Symbol)
        && (query.From is null || at >= query.From)
        && (query.To is null || at < query.To);

    /// <summary>
    /// The answer from memory, newest first, when memory has all of it: the query's limit is reached there, or memory
    /// holds the whole file. Otherwise null, and the file is read.
    /// </summary>
    private List<AuditEvent>? FromRecent(AuditQuery query)
    {
        var lines = new List<string>();
        bool whole;
        lock (_recentLock)
        {
            for (var i = 1; i <= _recentCount && lines.Count < query.Limit; i++)
            {
                var recent = NthNewest(i);
                if (Matches(recent.At, recent.Type, recent.Symbol, query))
                {
                    lines.Add(recent.Line);
                }
            }

            whole = lines.Count == query.Limit || _recentHoldsAll;
        }

        return whole ? Parse(lines) : null;
    }

    /// <summary>The events of <paramref name="type"/> since <paramref name="position"/>, oldest first, when memory holds them all; else null.</summary>
    private AuditChanges? RecentSince(string type, long position)
    {
        var lines = new List<string>();
        long through;
        lock (_recentLock)
        {
            var count = _position - position;
            if (count < 0 || count > _recentCount)
            {
                return null;
            }

            for (var i = (int)count; i >= 1; i--)
            {
                var recent = NthNewest(i);
                if (recent.Type == type)
                {
                    lines.Add(recent.Line);
                }
            }

            through = _position;
        }

        return new AuditChanges(Parse(lines), through, Whole: false);
    }

    /// <summary>The <paramref name="n"/>-th newest event in memory (1 is the newest); called holding the memory's lock.</summary>
    private RecentEvent NthNewest(int n) => _recent[(_recentNext - n + RecentKept) % RecentKept];

    private static List<AuditEvent> Parse(IEnumerable<string> lines) => [.. lines.Select(line => JsonSerializer.Deserialize<AuditEvent>(line, Json)!)];

    private void Remember(IReadOnlyList<RecentEvent> written)
    {
        lock (_recentLock)
        {
            _position += written.Count;
            foreach (var recent in written)
            {
                _recent[_recentNext] = recent;
                _recentNext = (_recentNext + 1) % RecentKept;
                if (_recentCount == RecentKept)
                {
                    _recentHoldsAll = false;
                }
                else
                {
                    _recentCount++;
                }
            }
        }
    }

    private void Forget()
    {
        lock (_recentLock)
        {
            _recentCount = 0;
            _recentHoldsAll = false;
            _position++;
        }
    }

    private static readonly UTF8Encoding Utf8 = new(false);

    private static async Task CloseAsync(StreamWriter? writer)
    {
        if (writer is not null)
        {
            await writer.DisposeAsync(); // flushes
        }
    }

    /// <summary>Releases the file after a failed write; a second failure while closing adds nothing to the one logged.</summary>
    private static void Abandon(StreamWriter? writer)
    {
        try
        {
            writer?.Dispose();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts a new current file; when retention deleted old files, memory may hold events no file has any more.</summary>
    private void Rotate(DateTimeOffset now)
    {
        if (_files.Rotate(now))
        {
            Forget();
        }

        (_currentBytes, _currentDay) = (0, null);
    }

    private sealed record RecentEvent(DateTimeOffset At, string Type, string? Symbol, string Line);

    private async Task WriteLoop()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var flushesSeen = 0;
            var written = new List<RecentEvent>();
            StreamWriter? writer = null;
            await _fileLock.WaitAsync();
            try
            {
                while (_queue.Reader.TryRead(out var entry))
                {
                    if (ReferenceEquals(entry, FlushMarker))
                    {
                        flushesSeen++;
                    }
                    else if (Build(entry) is { } auditEvent)
                    {
                        var line = JsonSerializer.Serialize(auditEvent, Json);
                        var lineBytes = Utf8.GetByteCount(line) + Environment.NewLine.Length;
                        var now = _wallClock.GetUtcNow();
                        if (_files.RotationDue(_currentBytes, _currentDay, lineBytes, now))
                        {
                            // Everything before this event is in the file being renamed; this event starts the next one.
                            await CloseAsync(writer);
                            writer = null;
                            Rotate(now);
                        }

                        writer ??= new StreamWriter(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read), Utf8);
                        await writer.WriteLineAsync(line);
                        (_currentBytes, _currentDay) = (_currentBytes + lineBytes, DateOnly.FromDateTime(now.UtcDateTime));
                        written.Add(new RecentEvent(auditEvent.At, auditEvent.Type, auditEvent.Symbol, line));
                    }
                }

                await CloseAsync(writer);
                writer = null;
                Remember(written);
            }
            catch (IOException exception)
            {
                _logger.LogError(exception, "Audit trail write to {Path} failed", _path);
                Abandon(writer);
                Forget(); // what of the batch reached the disk is unknown: memory starts again from the next write
                _currentBytes = File.Exists(_path) ? new FileInfo(_path).Length : 0;
            }
            finally
            {
                _fileLock.Release();
            }

            // A flush request is queued before its marker, so each marker seen releases the oldest request:
            // everything its caller wrote before asking is on disk by then.
            for (; flushesSeen > 0 && _flushRequests.TryDequeue(out var flushed); flushesSeen--)
            {
                flushed.TrySetResult();
            }
        }
    }
}
