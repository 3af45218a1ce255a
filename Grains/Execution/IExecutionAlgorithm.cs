using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Execution;

/// <summary>Where a parent order stands when its algorithm is asked what to send next (the algorithm's whole input).</summary>
/// <param name="Total">The parent's quantity (already whole lots of <paramref name="Instrument"/>).</param>
/// <param name="Sent">Quantity already handed to venues in child orders.</param>
/// <param name="Start">When the parent started working (market time).</param>
/// <param name="Now">The execution clock: market time of the latest event (see ExecutionGrain).</param>
/// <param name="ArrivalPrice">The market price when the parent arrived; limit protection measures from it.</param>
/// <param name="LastBar">The latest closed bar of the symbol, for volume caps and price checks; null before one arrives.</param>
public sealed record ParentProgress(
    decimal Total, decimal Sent, DateTimeOffset Start, DateTimeOffset Now, decimal ArrivalPrice, Candle? LastBar, InstrumentRules Instrument)
{
    public decimal Remaining => Total - Sent;

    /// <summary>The quantity needed to bring the sent total up to <paramref name="targetSent"/>, rounded down to the lot.</summary>
    public decimal UpTo(decimal targetSent) =>
        targetSent >= Total ? Remaining : Instrument.RoundDown(targetSent - Sent);
}

/// <summary>The next child order of a parent: its quantity (0 = nothing now) and why.</summary>
/// <param name="Hold">When <paramref name="Quantity"/> is 0: why nothing is sent now.</param>
public sealed record Slice(decimal Quantity, string Reason, ParentHold Hold = ParentHold.AwaitingSchedule);

/// <summary>
/// How a parent order is worked: asked at every clock advance, it answers the quantity due now. Implementations
/// are pure functions of the context, so a replay gives the same children every time.
/// </summary>
public interface IExecutionAlgorithm
{
    /// <summary>The name clients choose it by (<c>immediate</c>, <c>twap</c>, <c>vwap</c>).</summary>
    string Name { get; }

    Slice Next(ParentProgress context);
}
