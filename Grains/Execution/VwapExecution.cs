namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Volume-weighted slicing: by time t the parent should have sent the share of its quantity that the volume
/// profile expects between the start and t, out of the whole span to start + <see cref="Duration"/>. With a
/// participation cap p, no child exceeds p × the last bar's market volume; what the cap holds back is carried to
/// later children, past the end of the span if need be.
/// </summary>
public sealed class VwapExecution(VolumeProfile profile, TimeSpan duration, double participationCap) : IExecutionAlgorithm
{
    public TimeSpan Duration { get; } = duration > TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration));

    /// <summary>Largest child as a share of the last bar's volume, in (0, 1]; 0 disables the cap.</summary>
    public double ParticipationCap { get; } = participationCap is >= 0 and <= 1 ? participationCap : throw new ArgumentOutOfRangeException(nameof(participationCap));

    public string Name => "vwap";

    public Slice Next(ParentProgress context)
    {
        var span = profile.Share(context.Start, context.Start + Duration);
        var reached = span > 0 ? Math.Min(1, profile.Share(context.Start, context.Now) / span) : 1;
        var target = context.Now >= context.Start + Duration ? context.Total : context.Total * (decimal)reached;
        var quantity = context.UpTo(target);
        var reason = $"VWAP: {reached:P1} of the profile's volume over {Duration} reached";
        if (ParticipationCap > 0 && context.LastBar is { } bar)
        {
            var cap = context.Instrument.RoundDown((decimal)ParticipationCap * bar.Volume);
            if (quantity > cap)
            {
                return new Slice(cap, $"{reason}; capped at {ParticipationCap:P0} of the last bar's volume {bar.Volume}");
            }
        }

        return new Slice(quantity, reason);
    }
}
