using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Orleans grain storage in one SQLite table, one row per (state name, grain id), with optimistic concurrency on ETags.</summary>
/// <remarks>
/// A write or clear whose ETag is not the stored one fails with <see cref="InconsistentStateException"/>, so a stale
/// activation (a duplicate after a silo failure, say) can never overwrite state it has not read.
/// </remarks>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string SchemaSql = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name   TEXT    NOT NULL,
            grain_id     TEXT    NOT NULL,
            etag         INTEGER NOT NULL,
            payload      BLOB    NOT NULL,
            modified_utc TEXT    NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        """;

    private const string ReadSql = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain";

    private const string ETagSql = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";

    // DO NOTHING rather than an error on conflict: zero changed rows is the signal, as for the update.
    private const string InsertSql = """
        INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_utc) VALUES ($state, $grain, $etag, $payload, $modified)
        ON CONFLICT (state_name, grain_id) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE grain_state SET etag = $etag, payload = $payload, modified_utc = $modified
        WHERE state_name = $state AND grain_id = $grain AND etag = $expected
        """;

    private const string DeleteSql = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $expected";

    private readonly string _name;
    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    /// <param name="name">The provider name, for logs and errors.</param>
    /// <param name="options">Validated settings; <see cref="SqliteGrainStorageOptions.GrainStorageSerializer"/> must be set.</param>
    /// <param name="activators">Orleans' activators: how a fresh default state is made after a clear or a miss.</param>
    /// <param name="time">Stamps the modified time of each row.</param>
    /// <param name="logger">Start-up and schema messages.</param>
    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, IActivatorProvider activators, TimeProvider time, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (SqliteGrainStorageOptionsValidator.Failures(name, options) is { Count: > 0 } failures)
        {
            throw new OptionsValidationException(name, typeof(SqliteGrainStorageOptions), failures);
        }

        _name = name;
        _serializer = options.GrainStorageSerializer
            ?? throw new ArgumentException($"{nameof(SqliteGrainStorageOptions.GrainStorageSerializer)} of grain storage '{name}' is not set", nameof(options));
        _activators = activators;
        _time = time;
        _logger = logger;
        _databasePath = Path.GetFullPath(options.SqlitePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite also retries busy statements until the command timeout, so both bounds agree.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        // Per connection, not stored in the file; cheap enough to repeat on every open from the pool.
        // NORMAL under WAL: a crash of the process loses nothing, a power cut at most the last commits.
        _connectionPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _databasePath;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<SqliteGrainStorage>(_name), ServiceLifecycleStage.ApplicationServices, InitializeAsync, CloseAsync);

    /// <summary>Creates the folder, the file and the table if missing and switches the file to WAL; idempotent.</summary>
    /// <remarks>The silo calls this at start; used without a silo, the first read or write does.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            if (Path.GetDirectoryName(_databasePath) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = SchemaSql;
            // The journal_mode pragma answers with the mode in force: not WAL means a file system without shared memory.
            var journalMode = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                LogNotWal(_name, _databasePath, journalMode);
            }

            _initialized = true;
            LogReady(_name, _databasePath);
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        long etag;
        byte[] payload;
        await EnsureInitialized();
        await using (var connection = OpenConnection())
        await using (var command = Command(connection, ReadSql, stateName, grainId))
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow))
        {
            if (!await reader.ReadAsync())
            {
                Reset(grainState);
                return;
            }

            etag = reader.GetInt64(0);
            payload = reader.GetFieldValue<byte[]>(1);
        }

        // Deserialized after the connection went back to the pool: it is not needed for this.
        grainState.State = _serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = FormatETag(etag);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var modified = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await EnsureInitialized();
        long? expected = null;
        if (grainState.ETag is { } current)
        {
            expected = ParseETag(current) ?? throw await ConflictAsync("write", stateName, grainId, current);
        }

        var etag = NewETag(expected);
        var changed = await SqliteWriterThread.Run(_connectionString, OpenConnection, connection =>
        {
            using var command = Command(connection, expected is null ? InsertSql : UpdateSql, stateName, grainId);
            command.Parameters.AddWithValue("$etag", etag);
            command.Parameters.AddWithValue("$payload", payload);
            command.Parameters.AddWithValue("$modified", modified);
            if (expected is { } version)
            {
                command.Parameters.AddWithValue("$expected", version);
            }

            return command.ExecuteNonQuery();
        });

        if (changed == 0)
        {
            throw await ConflictAsync("write", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = FormatETag(etag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await EnsureInitialized();
        if (grainState.ETag is not { } current)
        {
            // No ETag claims there is no row; one that exists was written by someone this activation never read.
            if (await StoredETagAsync(stateName, grainId) is not null)
            {
                throw await ConflictAsync("clear", stateName, grainId, null);
            }
        }
        else
        {
            var expected = ParseETag(current) ?? throw await ConflictAsync("clear", stateName, grainId, current);
            var deleted = await SqliteWriterThread.Run(_connectionString, OpenConnection, connection =>
            {
                using var command = Command(connection, DeleteSql, stateName, grainId);
                command.Parameters.AddWithValue("$expected", expected);
                return command.ExecuteNonQuery();
            });
            if (deleted == 0)
            {
                throw await ConflictAsync("clear", stateName, grainId, current);
            }
        }

        Reset(grainState);
    }

    private async Task EnsureInitialized()
    {
        if (!_initialized)
        {
            await InitializeAsync(CancellationToken.None);
        }
    }

    // Microsoft.Data.Sqlite has no truly asynchronous I/O: its async methods complete synchronously, so the blocking
    // calls are made plainly, and writes go to the writer thread.
    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = _connectionPragmas;
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        // Closing the writer's connection and the pooled ones lets SQLite checkpoint the WAL into the file and release it.
        await SqliteWriterThread.CloseAsync(_connectionString);
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        return command;
    }

    private async Task<long?> StoredETagAsync(string stateName, GrainId grainId)
    {
        await using var connection = OpenConnection();
        await using var command = Command(connection, ETagSql, stateName, grainId);
        return await command.ExecuteScalarAsync() is long etag ? etag : null;
    }

    private async Task<InconsistentStateException> ConflictAsync(string operation, string stateName, GrainId grainId, string? current)
    {
        // Read after the failed statement, so only a hint of what won: another writer may have moved it on since.
        var stored = await StoredETagAsync(stateName, grainId) is { } etag ? FormatETag(etag) : null;
        return new InconsistentStateException(
            $"ETag conflict on {operation} of state '{stateName}' of {grainId} in SQLite storage '{_name}': the grain holds {current ?? "no ETag"}, the database {stored ?? "no row"}",
            stored,
            current);
    }

    // Random, not a counter: a counter restarts after a clear deletes the row, and a stale activation holding an old
    // version could then match a new row with the same number.
    private static long NewETag(long? previous)
    {
        long etag;
        do
        {
            etag = Random.Shared.NextInt64(1, long.MaxValue);
        }
        while (etag == previous);

        return etag;
    }

    private static string FormatETag(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    private static long? ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite grain storage {Name} ready at {Path}")]
    private partial void LogReady(string name, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite grain storage {Name} at {Path} runs in journal mode {JournalMode}, not WAL: readers will wait for writers")]
    private partial void LogNotWal(string name, string path, string? journalMode);
}
