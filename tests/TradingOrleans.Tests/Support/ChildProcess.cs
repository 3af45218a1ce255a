using System.Diagnostics;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// A server process a test starts, killed by PID (with its children) on dispose. Its last lines of output are kept,
/// so a test that waits on it in vain can say why (it exited, a port was taken, it logged an error).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ChildProcess(string file, IEnumerable<string> arguments)
    {
        _process = StartDrained(file, arguments, Keep);
    }

    public static ChildProcess Start(string file, IEnumerable<string> arguments) => new(file, arguments);

    /// <summary>Starts the process with its output drained, so a chatty child never blocks on a full pipe.</summary>
    public static Process StartDrained(string file, IEnumerable<string> arguments, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Forward(line.Data);
        process.ErrorDataReceived += (_, line) => Forward(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                onLine?.Invoke(line);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code if it exited, and its last lines of output: for a failing test's message.</summary>
    public string Describe()
    {
        lock (_lastLines)
        {
            var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";
            return $"{Path.GetFileName(_process.StartInfo.FileName)} {state}; its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _lastLines)}";
        }
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5_000);
        _process.Dispose();
    }

    private void Keep(string line)
    {
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
