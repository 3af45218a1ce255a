using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Signals;

/// <summary>
/// One symbol's catch-up: the combined signal a passing fault of the order path stopped (risk or the portfolio not
/// answering, a circuit open, no venue), sent again after an exponential backoff with jitter until it gets through, a
/// newer target replaces it, or it is older than the signal age risk accepts — then the next bar restates the target
/// under a fresh signal. Resending the same signal is safe: its order has the same intent id, executed at most once.
/// </summary>
public sealed class OrderCatchUp(TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan maxSignalAge, Random random)
{
    /// <summary>The signal waiting to be sent again; null when nothing is owed.</summary>
    public CombinedSignal? Pending { get; private set; }

    /// <summary>Retries of <see cref="Pending"/> so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>A stale signal was given up: the next bar restates the target, fresh.</summary>
    public bool RestateOnNextBar { get; private set; }

    /// <summary>The signal did not get through: it is owed, and this is how long to wait before sending it again.</summary>
    public TimeSpan Failed(CombinedSignal signal)
    {
        if (!ReferenceEquals(signal, Pending))
        {
            (Pending, Attempts) = (signal, 0);
        }

        RestateOnNextBar = false;
        return Backoff(Attempts++, baseDelay, maxDelay, random.NextDouble());
    }

    /// <summary>A signal got through (or risk refused it for good): nothing is owed.</summary>
    public void Delivered()
    {
        (Pending, Attempts, RestateOnNextBar) = (null, 0, false);
    }

    /// <summary>The signal to send again now; null when none is owed or it went stale (then the next bar restates).</summary>
    public CombinedSignal? Due(DateTimeOffset now)
    {
        if (Pending is { } pending && now - pending.IngestedAt > maxSignalAge)
        {
            (Pending, Attempts, RestateOnNextBar) = (null, 0, true);
        }

        return Pending;
    }

    /// <summary>
    /// base × 2^attempt, capped at <paramref name="max"/>, of which the upper half is jittered by <paramref name="unit"/>
    /// in [0, 1): the symbols a fault stopped together do not all retry at the same instant.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan max, double unit)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * unit);
    }
}
