using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>
/// The one thread this process writes to SQLite on. Microsoft.Data.Sqlite's async methods complete synchronously, so
/// a write awaited by a grain would otherwise block one of the few pool threads Orleans schedules every grain on
/// (two on this project's machine): a burst of order and fill writes then stalls every grain, not just the writers.
/// Here the grain's await is a real one, and writes queue in order — SQLite takes one writer at a time anyway. The
/// thread keeps one connection open per database, so a write is only its statement (no open, no pragmas).
/// </summary>
internal static class SqliteWriterThread
{
    private static readonly BlockingCollection<Action> Queue = [];

    // Touched only on the writer thread.
    private static readonly Dictionary<string, SqliteConnection> Connections = new(StringComparer.Ordinal);

    static SqliteWriterThread() => new Thread(Drain) { IsBackground = true, Name = "sqlite-writer" }.Start();

    /// <summary>
    /// Runs <paramref name="write"/> on the writer thread with the database's connection, opened by
    /// <paramref name="open"/> on first use (and again after a failure); the returned task completes off that thread.
    /// </summary>
    public static Task<T> Run<T>(string database, Func<SqliteConnection> open, Func<SqliteConnection, T> write) => Enqueue(() =>
    {
        if (!Connections.TryGetValue(database, out var connection))
        {
            Connections[database] = connection = open();
        }

        try
        {
            return write(connection);
        }
        catch
        {
            // The connection may be what failed: the next write opens a fresh one.
            Close(database);
            throw;
        }
    });

    /// <summary>Closes the database's connection once the writes queued before this call are done.</summary>
    public static Task CloseAsync(string database) => Enqueue(() => Close(database));

    private static bool Close(string database)
    {
        if (!Connections.Remove(database, out var connection))
        {
            return false;
        }

        connection.Dispose();
        return true;
    }

    private static Task<T> Enqueue<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }

    private static void Drain()
    {
        foreach (var work in Queue.GetConsumingEnumerable())
        {
            work();
        }
    }
}
