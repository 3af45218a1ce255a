namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Time-weighted slicing: <see cref="Slices"/> children at equal intervals over <see cref="Duration"/>, the first
/// at the start. With <see cref="Randomization"/> r &gt; 0 each slice's size is scaled by 1 + r·u (u uniform in
/// [−1, 1], seeded by the parent id, so a replay repeats it) and the sizes renormalised to the total; the last
/// slice takes whatever lot rounding left over.
/// </summary>
public sealed class TwapExecution : IExecutionAlgorithm
{
    // Each slice's weight added up through it, in decimal: a share is total × weights through / all weights, multiplied
    // before dividing, so equal slices are exact (0.03 in thirds is 0.01 each, not 0.00999… rounded down to 0.009).
    private readonly decimal[] _weightThrough;

    /// <param name="seed">Fixes the randomisation (the grain passes a hash of the parent id).</param>
    public TwapExecution(int slices, TimeSpan duration, double randomization = 0, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(randomization);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(randomization, 1);
        (Slices, Duration, Randomization) = (slices, duration, randomization);
        var random = new Random(seed);
        var weights = Enumerable.Range(0, slices).Select(_ => 1 + randomization * (2 * random.NextDouble() - 1)).ToArray();
        var running = 0m;
        _weightThrough = [.. weights.Select(w => running += (decimal)w)];
    }

    /// <summary>Number of child orders.</summary>
    public int Slices { get; }

    /// <summary>Time from the first to just after the last slice: slice i is due at start + i × duration / slices.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Relative size noise per slice, in [0, 1): hides the schedule from other participants.</summary>
    public double Randomization { get; }

    public string Name => "twap";

    public Slice Next(ParentProgress context)
    {
        var elapsed = context.Now - context.Start;
        var due = elapsed < TimeSpan.Zero ? 0 : Math.Min(Slices, (int)(elapsed / (Duration / Slices)) + 1);
        if (due == 0)
        {
            return new Slice(0, "TWAP: not started");
        }

        return new Slice(context.UpTo(Cumulative(due, context.Total)), $"TWAP slice {due} of {Slices} over {Duration}");
    }

    /// <summary>
    /// The schedule as passive working reads it: the quantity the slices up to the current one add up to (what may rest
    /// now), and what the slices whose deadline has passed add up to (what must have traded by now). A slice's deadline
    /// is the next slice's start; the last slice's is the end of <see cref="Duration"/>. Cumulative quantities are
    /// rounded down to the lot, the last slice's being the whole parent.
    /// </summary>
    public SliceTargets Targets(ParentProgress context)
    {
        var elapsed = context.Now - context.Start;
        if (elapsed < TimeSpan.Zero)
        {
            return new SliceTargets(0, 0, 0, "TWAP: not started");
        }

        var passed = (int)Math.Min(Slices, elapsed / (Duration / Slices));
        var current = Math.Min(Slices, passed + 1);
        return new SliceTargets(current, Through(current, context), Through(passed, context), $"TWAP slice {current} of {Slices} over {Duration}");
    }

    /// <summary>What the first <paramref name="slices"/> slices add up to, rounded down to the lot.</summary>
    private decimal Through(int slices, ParentProgress context) =>
        slices == 0 ? 0 : slices == Slices ? context.Total : context.Instrument.RoundDown(Cumulative(slices, context.Total));

    /// <summary>The share of <paramref name="total"/> the first <paramref name="slices"/> slices (at least one) carry: all of it for the last.</summary>
    private decimal Cumulative(int slices, decimal total) =>
        slices == Slices ? total : total * _weightThrough[slices - 1] / _weightThrough[^1];
}

/// <summary>Where a sliced schedule stands at one instant (see <see cref="TwapExecution.Targets"/>).</summary>
/// <param name="Slice">The current slice, from 1 (0 before the start).</param>
/// <param name="Working">Cumulative quantity of the slices up to the current one.</param>
/// <param name="Due">Cumulative quantity of the slices whose deadline has passed: what must have traded by now.</param>
public sealed record SliceTargets(int Slice, decimal Working, decimal Due, string Reason);
