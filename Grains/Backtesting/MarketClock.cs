namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A backtest's clock: it reads the market time the backtest has reached and moves only when the backtest moves it,
/// so everything that reads time (grain timers, delays, Polly's timeouts and breakers, throttles, TWAP schedules, signal
/// ages) sees market time and a run makes the same decisions however fast the machine is.
/// </summary>
/// <remarks>
/// A timer falls due when the clock is moved to or past its due time, and fires synchronously inside
/// <see cref="AdvanceTo"/>, in due-time order (creation order among equals). A periodic timer fires once per move however
/// far the clock jumps and is due again one period after the new time: a backtest moves bar by bar, and catching up on
/// every missed second of a 5-minute bar would only repeat the same tick. Orleans' grain timers are one-shot timers
/// re-armed after each tick, so for them the two readings agree. Timestamps count ticks of market time.
/// </remarks>
public sealed class MarketClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<MarketTimer> _timers = [];
    private DateTimeOffset _now = start;
    private long _created;

    // Once released, the clock runs on from the last market time at wall-clock pace.
    private long? _releasedAt;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _releasedAt is { } releasedAt ? _now + System.GetElapsedTime(releasedAt) : _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (IsReleased)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new MarketTimer(this, callback, state, Interlocked.Increment(ref _created));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves market time forward (never back) and fires every timer due by then; returns how many fired.</summary>
    public int AdvanceTo(DateTimeOffset time)
    {
        List<MarketTimer> due;
        lock (_gate)
        {
            if (time <= _now)
            {
                return 0;
            }

            _now = time;
            due = [.. _timers.Where(t => t.DueAt <= time).OrderBy(t => t.DueAt).ThenBy(t => t.Order)];
            foreach (var timer in due)
            {
                timer.Rearm(time);
            }
        }

        // Outside the lock: a callback may read the clock, or create and change timers.
        foreach (var timer in due)
        {
            timer.Fire();
        }

        return due.Count;
    }

    /// <summary>
    /// Ends market time: from now on the clock runs at wall-clock pace from where the market left it, and every timer
    /// (those armed now included) runs on wall time — so a silo can wind down (deactivation delays, storage
    /// writes) after its backtest's last bar.
    /// </summary>
    public void Release()
    {
        List<MarketTimer> armed;
        lock (_gate)
        {
            if (_releasedAt is not null)
            {
                return;
            }

            _releasedAt = System.GetTimestamp();
            armed = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in armed)
        {
            timer.MoveToWallClock(_now);
        }
    }

    private bool IsReleased
    {
        get
        {
            lock (_gate)
            {
                return _releasedAt is not null;
            }
        }
    }

    private void Schedule(MarketTimer timer, bool armed)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (armed)
            {
                _timers.Add(timer);
            }
        }
    }

    private sealed class MarketTimer(MarketClock clock, TimerCallback callback, object? state, long order) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        // After the clock's release: the wall-clock timer this one became.
        private ITimer? _wall;

        public DateTimeOffset DueAt { get; private set; }

        public long Order => order;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_wall is null && clock.IsReleased)
            {
                _wall = System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            if (_wall is not null)
            {
                return _wall.Change(dueTime, period);
            }

            _period = period;
            var armed = dueTime != Timeout.InfiniteTimeSpan;
            if (armed)
            {
                DueAt = clock.GetUtcNow() + dueTime;
            }

            clock.Schedule(this, armed);
            return true;
        }

        /// <summary>Called under the clock's lock when it fires: due again one period on, or disarmed.</summary>
        public void Rearm(DateTimeOffset now)
        {
            if (_period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero)
            {
                clock._timers.Remove(this);
            }
            else
            {
                DueAt = now + _period;
            }
        }

        public void Fire() => callback(state);

        public void MoveToWallClock(DateTimeOffset marketNow)
        {
            var due = DueAt - marketNow;
            _wall = System.CreateTimer(callback, state, due > TimeSpan.Zero ? due : TimeSpan.Zero, _period);
        }

        public void Dispose()
        {
            _wall?.Dispose();
            clock.Schedule(this, armed: false);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
