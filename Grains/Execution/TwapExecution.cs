namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Time-weighted slicing: <see cref="Slices"/> children at equal intervals over <see cref="Duration"/>, the first
/// at the start. With <see cref="Randomization"/> r &gt; 0 each slice's size is scaled by 1 + r·u (u uniform in
/// [−1, 1], seeded by the parent id, so a replay repeats it) and the sizes renormalised to the total; the last
/// slice takes whatever lot rounding left over.
/// </summary>
public sealed class TwapExecution : IExecutionAlgorithm
{
    private readonly double[] _cumulative;

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
        var total = weights.Sum();
        var running = 0.0;
        _cumulative = [.. weights.Select(w => running += w / total)];
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

        var target = due == Slices ? context.Total : context.Total * (decimal)_cumulative[due - 1];
        return new Slice(context.UpTo(target), $"TWAP slice {due} of {Slices} over {Duration}");
    }
}
