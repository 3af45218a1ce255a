using System.Net;
using System.Net.Sockets;

namespace TradingOrleans.Tests.Support;

/// <summary>Configuration for a test silo or API: its own SQLite file and free ports, the repo's real data.</summary>
public static class TestSettings
{
    /// <summary>A fresh database path under the temp folder, unique per call.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "trading-orleans-tests", Guid.NewGuid().ToString("N"), "trading.db");

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static Dictionary<string, string?> For(string databasePath, bool replay, string? from = null, string? to = null, params string[] symbols)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Trading:Storage:SqlitePath"] = databasePath,
            ["Trading:Audit:Path"] = Path.Combine(Path.GetDirectoryName(databasePath)!, "audit.jsonl"),
            ["Trading:Backtest:Directory"] = Path.Combine(Path.GetDirectoryName(databasePath)!, "backtests"),
            ["Trading:Silo:SiloPort"] = FreePort().ToString(),
            ["Trading:Silo:GatewayPort"] = FreePort().ToString(),
            ["Trading:Silo:Dashboard"] = "false",
            ["Trading:Replay:Enabled"] = replay.ToString(),
            ["Trading:Replay:SpeedMultiplier"] = "0",
            ["Trading:Replay:From"] = from,
            ["Trading:Replay:To"] = to,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < symbols.Length; i++)
        {
            settings[$"Trading:Replay:Symbols:{i}"] = symbols[i];
            settings[$"Trading:Strategies:DefaultSymbols:{i}"] = symbols[i];
        }

        return settings;
    }

    /// <summary>No replay and no default strategies: the test itself sends the market data and configures what trades.</summary>
    public static Dictionary<string, string?> Quiet(string databasePath)
    {
        var settings = For(databasePath, replay: false);
        settings["Trading:Strategies:SeedDefaults"] = "false";
        return settings;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
