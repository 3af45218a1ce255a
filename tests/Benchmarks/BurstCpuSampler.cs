namespace TradingOrleans.Benchmarks;

/// <summary>
/// The process's CPU time in the bar-close burst, apart from queueing: every bar closes on the whole second, so the
/// CPU used in the window just after each second turns, less the CPU of an equally long window in mid-second (the
/// steady cost of the trades alone), is the work the closing bars and their orders cost.
/// </summary>
/// <remarks>
/// One dedicated thread sleeps to four instants a second and reads the process's CPU time (<c>getrusage</c> through
/// <see cref="Environment.CpuUsage"/>): a few reads a second, not a sampling profiler, so it costs nothing measurable.
/// </remarks>
public sealed class BurstCpuSampler : IDisposable
{
    /// <summary>Long enough for the burst to drain on this machine (its delivery p99 is a few to 15 ms), short against the second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan BeforeTheSecond = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan QuietStart = TimeSpan.FromMilliseconds(500);

    private readonly List<(double Burst, double Quiet)> _seconds = [];
    private readonly DateTimeOffset _from;
    private readonly Thread _thread;
    private TimeSpan _cpuAtStart;
    private DateTimeOffset _startedAt;
    private volatile bool _stopped;
    private double _cpu;
    private double _wall;

    /// <param name="from">The first second boundary after this is sampled (the end of the warm-up).</param>
    public BurstCpuSampler(DateTimeOffset from)
    {
        _from = from;
        _thread = new Thread(Sample) { IsBackground = true, Name = "burst-cpu", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <param name="Seconds">Whole seconds sampled after the warm-up.</param>
    /// <param name="BurstCpuMillisecondsP50">CPU used in the window after the second turns (median over the seconds).</param>
    /// <param name="QuietCpuMillisecondsP50">CPU used in a window as long in mid-second: the trades' steady cost.</param>
    /// <param name="ExcessCpuMillisecondsPerBurst">Mean of burst less quiet: the closing bars' and their orders' work.</param>
    /// <param name="CpuMillisecondsPerOrder">Sum of the excesses over the orders placed after the warm-up.</param>
    /// <param name="ProcessCpuMillisecondsPerOrder">All the process's CPU after the warm-up over those orders: an upper bound, with every trade's handling in it.</param>
    /// <param name="ProcessCpuCores">The process's CPU time over the wall time after the warm-up, in cores.</param>
    public sealed record Figures(
        int Seconds, double WindowMilliseconds, double BurstCpuMillisecondsP50, double QuietCpuMillisecondsP50, double ExcessCpuMillisecondsPerBurst,
        double CpuMillisecondsPerOrder, double ProcessCpuMillisecondsPerOrder, double ProcessCpuCores);

    /// <summary>Ends the sampling: the load is over.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _thread.Join();
        (_cpu, _wall) = ((Environment.CpuUsage.TotalTime - _cpuAtStart).TotalMilliseconds, (DateTimeOffset.UtcNow - _startedAt).TotalMilliseconds);
    }

    /// <summary>The figures of the sampled seconds, per order for the <paramref name="orders"/> placed after the warm-up.</summary>
    public Figures Result(int orders)
    {
        Stop();
        var (cpu, wall) = (_cpu, _wall);
        lock (_seconds)
        {
            var excess = _seconds.Sum(s => s.Burst - s.Quiet);
            return new Figures(_seconds.Count, Window.TotalMilliseconds, Median(_seconds.Select(s => s.Burst)), Median(_seconds.Select(s => s.Quiet)),
                _seconds.Count == 0 ? double.NaN : excess / _seconds.Count, orders == 0 ? double.NaN : excess / orders,
                orders == 0 ? double.NaN : cpu / orders, wall <= 0 ? double.NaN : cpu / wall);
        }
    }

    private void Sample()
    {
        SleepUntil(_from);
        (_cpuAtStart, _startedAt) = (Environment.CpuUsage.TotalTime, DateTimeOffset.UtcNow);
        var second = NextSecond(DateTimeOffset.UtcNow);
        while (!_stopped)
        {
            var burst = CpuBetween(second - BeforeTheSecond, second + Window);
            var quiet = CpuBetween(second + QuietStart, second + QuietStart + Window);
            if (burst is { } b && quiet is { } q)
            {
                lock (_seconds)
                {
                    _seconds.Add((b, q));
                }
            }

            second = NextSecond(DateTimeOffset.UtcNow);
        }
    }

    /// <summary>CPU milliseconds between two instants, or null when the thread woke too late to measure the window.</summary>
    private double? CpuBetween(DateTimeOffset start, DateTimeOffset end)
    {
        SleepUntil(start);
        var woke = DateTimeOffset.UtcNow;
        var before = Environment.CpuUsage.TotalTime;
        SleepUntil(end);
        var after = Environment.CpuUsage.TotalTime;
        var measured = DateTimeOffset.UtcNow - woke;
        // A window stretched by a late wake-up would count more than its share: scale it back to the window's length.
        return _stopped || measured <= TimeSpan.Zero || woke - start > BeforeTheSecond
            ? null
            : (after - before).TotalMilliseconds * (end - start) / measured;
    }

    private void SleepUntil(DateTimeOffset instant)
    {
        while (!_stopped && DateTimeOffset.UtcNow < instant)
        {
            var left = instant - DateTimeOffset.UtcNow;
            Thread.Sleep(left > TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private static DateTimeOffset NextSecond(DateTimeOffset now) =>
        new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[(sorted.Length - 1) / 2];
    }

    public void Dispose() => Stop();
}
