using System.Diagnostics;

namespace TradingOrleans.Tests.Support;

/// <summary>A server process a test starts, killed by PID (with its children) on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public static ChildProcess Start(string file, IEnumerable<string> arguments) => new(StartDrained(file, arguments));

    /// <summary>Starts the process with its output drained, so a chatty child never blocks on a full pipe.</summary>
    public static Process StartDrained(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5_000);
        _process.Dispose();
    }
}
