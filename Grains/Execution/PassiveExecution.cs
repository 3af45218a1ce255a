using TradingOrleans.Grains.Interfaces.Execution;
using static TradingOrleans.Grains.Execution.OrderBookkeeping;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Passive working of a TWAP parent, decided afresh at every step from the parent's children (no state of its own):
/// the current slice rests post-only (a limit maker) at the touch — the best bid for a buy, the best ask for a sell;
/// the resting child is withdrawn when the touch moves away from the one it was priced at, or when its slice's deadline
/// passes; and what the slices past their deadline still lack crosses at market, so the schedule is kept.
/// </summary>
/// <remarks>
/// At most one child rests at a time, and the next rests only once the last one is final here — withdrawn, and its end
/// confirmed by the venue with its fills — so every quantity is what the parent lacks after what the venue says filled,
/// never what was asked: a fill that races a withdrawal is counted, not sent again. A crossing child still awaiting
/// the venue counts whole. A child the venue refused for taking (the touch was stale) rests again one tick further from
/// the market; refused a second time at the same touch, the parent waits for the touch to move or the deadline to pass.
/// </remarks>
public static class PassiveExecution
{
    /// <summary>The price step when the instrument declares none: prices are kept to 8 decimals.</summary>
    private const decimal SmallestStep = 0.00000001m;

    /// <param name="targets">Where the TWAP schedule stands now.</param>
    /// <param name="touch">The price a passive child rests at on the parent's side (see the machine's touch).</param>
    public static PassiveMove Decide(ParentOrder parent, SliceTargets targets, decimal touch, InstrumentRules instrument)
    {
        var sent = parent.SentQuantity;
        if (parent.Children.LastOrDefault(c => c.AwaitingVenue && c.Touch is not null) is { } resting)
        {
            var unfilled = resting.Quantity - resting.FilledQuantity;
            var price = N(resting.Limit!.Price);
            if (targets.Due > sent - unfilled)
            {
                return new WithdrawResting(resting, $"{targets.Reason}: a deadline passed with {N(unfilled)} unfilled at {price}; withdrawn to cross");
            }

            return MovedAway(parent.Side, resting.Touch!.Value, touch)
                ? new WithdrawResting(resting, $"{targets.Reason}: the touch moved from {N(resting.Touch.Value)} to {N(touch)}; withdrawn to rest there")
                : new KeepWaiting($"{targets.Reason}: {N(unfilled)} resting at {price}");
        }

        var due = instrument.RoundDown(targets.Due - sent);
        if (due > 0)
        {
            return new CrossRemainder(due, $"{targets.Reason}: {N(due)} past its deadline crosses at market");
        }

        var open = instrument.RoundDown(targets.Working - sent);
        if (open <= 0)
        {
            return new KeepWaiting(targets.Slice == 0 ? targets.Reason : $"{targets.Reason}: worked; the next slice rests at its start");
        }

        // Refusals for taking at this same touch, newest first: the first rests one tick away, a second waits.
        var refused = parent.Children.Reverse().TakeWhile(c => c.WouldTake && c.Touch == touch).ToList();
        if (refused.Count >= 2)
        {
            return new KeepWaiting($"{targets.Reason}: refused twice for taking at the touch {N(touch)}; waiting for it to move");
        }

        var step = instrument.PriceTick > 0 ? instrument.PriceTick : SmallestStep;
        var restAt = refused.Count == 0
            ? InstrumentRules.RoundLimitToTick(parent.Side, touch, instrument.PriceTick)
            : refused[0].Limit!.Price + (parent.Side == OrderSide.Buy ? -step : step);
        var note = refused.Count == 0 ? "" : $", a tick away after {refused[0].ClientOrderId} was refused for taking";
        return new RestAtTouch(open, new LimitTerms(OrderType.LimitMaker, restAt), touch, $"{targets.Reason}: {N(open)} rests at {N(restAt)} (touch {N(touch)}{note})");
    }

    /// <summary>Whether the touch moved away from a resting order priced at <paramref name="pricedAt"/>: up for a buy, down for a sell.</summary>
    private static bool MovedAway(OrderSide side, decimal pricedAt, decimal touch) => side == OrderSide.Buy ? touch > pricedAt : touch < pricedAt;
}

/// <summary>What a passive parent does at one step, and why (its <c>lastSliceReason</c>).</summary>
public abstract record PassiveMove(string Reason);

/// <summary>Rest a post-only child of <paramref name="Quantity"/> on <paramref name="Limit"/>, priced from <paramref name="Touch"/>.</summary>
public sealed record RestAtTouch(decimal Quantity, LimitTerms Limit, decimal Touch, string Reason) : PassiveMove(Reason);

/// <summary>Cancel the resting child at its venue; the next move waits for the venue's answer.</summary>
public sealed record WithdrawResting(ChildOrder Child, string Reason) : PassiveMove(Reason);

/// <summary>Send <paramref name="Quantity"/>, what slices past their deadline lack, as a market order.</summary>
public sealed record CrossRemainder(decimal Quantity, string Reason) : PassiveMove(Reason);

/// <summary>Nothing to send or withdraw now.</summary>
public sealed record KeepWaiting(string Reason) : PassiveMove(Reason);
