using System.Collections.Concurrent;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>
/// The one thread this process writes to SQLite on. Microsoft.Data.Sqlite's async methods complete synchronously, so
/// a write awaited by a grain would otherwise block one of the few pool threads Orleans schedules every grain on
/// (two on this project's machine): a burst of order and fill writes then stalls every grain, not just the writers.
/// Here the grain's await is a real one, and writes queue in order — SQLite takes one writer at a time anyway.
/// </summary>
internal static class SqliteWriterThread
{
    private static readonly BlockingCollection<Action> Queue = [];

    static SqliteWriterThread() => new Thread(Drain) { IsBackground = true, Name = "sqlite-writer" }.Start();

    /// <summary>Runs <paramref name="write"/> on the writer thread; the returned task completes off that thread.</summary>
    public static Task<T> Run<T>(Func<T> write)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                done.SetResult(write());
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
        foreach (var write in Queue.GetConsumingEnumerable())
        {
            write();
        }
    }
}
