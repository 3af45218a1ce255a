using System.Diagnostics;
using StackExchange.Redis;

namespace TradingOrleans.Tests.Support;

/// <summary>A real redis-server (Debian's package) on 127.0.0.1 with append-only persistence in a temp folder, stopped by PID.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        var executable = TestSettings.FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (.ci/run does)");
        var folder = Path.Combine(Path.GetTempPath(), "trading-orleans-redis", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Port = TestSettings.FreePort();

        _process = Process.Start(new ProcessStartInfo(executable,
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes", "--save", "", "--daemonize", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var connection = ConnectionMultiplexer.Connect(ConnectionString);
                connection.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5_000);
        _process.Dispose();
    }
}
