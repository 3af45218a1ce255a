using Microsoft.Data.Sqlite;

namespace TradingOrleans.Tests.Adapters.Sqlite;

/// <summary>A database path in a fresh temp folder (one level deeper than exists, so the storage must create it); removed after the test.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "trading-orleans-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase() => FilePath = Path.Combine(_root, "state", "grains.db");

    public string FilePath { get; }

    public void Dispose()
    {
        // Pooled connections keep the file open; other tests' idle connections closing too is harmless.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind fails no test.
        }
    }
}
