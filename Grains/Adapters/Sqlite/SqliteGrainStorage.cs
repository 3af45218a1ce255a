using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>
/// Orleans grain storage in one SQLite table: a row per (state name, grain id) holding the serialized state and a
/// version number used as the ETag. A write or clear whose ETag is not the stored one fails with
/// <see cref="InconsistentStateException"/> (optimistic concurrency), so two activations can never overwrite each other.
/// </summary>
public sealed class SqliteGrainStorage(string name, string databasePath, IGrainStorageSerializer serializer)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(databasePath),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, EnsureSchemaAsync);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.ETag = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$modified", DateTimeOffset.UtcNow.ToString("O"));
        if (grainState.ETag is null)
        {
            // Insert only: a row that exists already was written by someone this activation never read.
            command.CommandText = """
                INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_utc) VALUES ($state, $grain, 1, $payload, $modified)
                ON CONFLICT (state_name, grain_id) DO NOTHING RETURNING etag
                """;
        }
        else
        {
            command.CommandText = """
                UPDATE grain_state SET etag = etag + 1, payload = $payload, modified_utc = $modified
                WHERE state_name = $state AND grain_id = $grain AND etag = $etag RETURNING etag
                """;
            command.Parameters.AddWithValue("$etag", ParseETag(grainState.ETag));
        }

        var newETag = await command.ExecuteScalarAsync();
        if (newETag is null)
        {
            throw await ConflictAsync(connection, stateName, grainId, grainState.ETag, "write");
        }

        grainState.ETag = Convert.ToString(newETag, System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        if (grainState.ETag is not null)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag";
            AddKey(command, stateName, grainId);
            command.Parameters.AddWithValue("$etag", ParseETag(grainState.ETag));
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                throw await ConflictAsync(connection, stateName, grainId, grainState.ETag, "clear");
            }
        }
        else if (await StoredETagAsync(connection, stateName, grainId) is { } stored)
        {
            throw new InconsistentStateException($"Clear of {stateName} for {grainId} without an ETag, but version {stored} is stored", stored, "(none)");
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Creates the database folder, file and table if missing; safe to call repeatedly.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // WAL lets readers run beside the writer; the setting is stored in the file.
            command.CommandText = """
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
            await command.ExecuteNonQueryAsync(cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        await EnsureSchemaAsync();
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        // NORMAL in WAL mode: durable across process crashes, may lose the last commits on power loss.
        pragma.CommandText = "PRAGMA synchronous = NORMAL";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
    }

    private static long ParseETag(string etag) =>
        long.TryParse(etag, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"'{etag}' is not an ETag of this storage", "(unknown)", etag);

    private static async Task<string?> StoredETagAsync(SqliteConnection connection, string stateName, GrainId grainId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        AddKey(command, stateName, grainId);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } etag ? etag : null;
    }

    private static async Task<InconsistentStateException> ConflictAsync(SqliteConnection connection, string stateName, GrainId grainId, string? expected, string operation)
    {
        var stored = await StoredETagAsync(connection, stateName, grainId);
        return new InconsistentStateException(
            $"ETag conflict on {operation} of {stateName} for {grainId}: expected {expected ?? "(none)"}, stored {stored ?? "(none)"}",
            stored ?? "(none)", expected ?? "(none)");
    }
}
