using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Grains.Strategies;

/// <summary>One pair strategy's spread as its PairGrain keeps it (persisted with the grain).</summary>
[GenerateSerializer]
public sealed class SpreadBookState
{
    /// <summary>The sequence of the latest spread target sent.</summary>
    [Id(0)] public long Sequence { get; set; }

    /// <summary>The position and hedge ratio of the latest target sent (whatever became of it).</summary>
    [Id(1)] public SignalDirection SentPosition { get; set; }

    [Id(2)] public double SentHedgeRatio { get; set; }

    /// <summary>A target that did not get through for a passing reason (a fault, the throttle), or that the order limit cut short: sent again on the next bar.</summary>
    [Id(3)] public bool Owed { get; set; }

    /// <summary>The basket whose legs are not all filled yet.</summary>
    [Id(4)] public BasketOutcome? Working { get; set; }

    [Id(5)] public BasketStatus? LastStatus { get; set; }

    [Id(6)] public string? LastNote { get; set; }

    [Id(7)] public int Baskets { get; set; }

    [Id(8)] public int Unwinds { get; set; }

    /// <summary>The fills of the strategy's own baskets (legs and unwinds), booked as an account of its own.</summary>
    [Id(9)] public PortfolioState Fills { get; set; } = new();
}

/// <summary>
/// A pair strategy's spread between its model and the baskets: when the model's spread position changes, or its hedge
/// ratio moved by more than the minimum while a spread is held (a re-estimate), the next <see cref="SpreadTarget"/> is
/// due; a target owed (a passing fault, the order limit) is sent again. The basket orders' fills make the strategy's
/// held legs and its spread PnL (realised + unrealised − fees).
/// </summary>
public sealed class SpreadBook(SpreadBookState state, string legA, string legB)
{
    private readonly PortfolioLedger _fills = new(state.Fills);

    public SpreadBookState State => state;

    /// <summary>The target to send after this bar's model update; null when none is due (or a basket is still working).</summary>
    public SpreadTarget? Next(string strategyId, PairSpreadUpdate update, Candle barA, Candle barB, DateTimeOffset ingestedAt, double minimumHedgeRatioChange)
    {
        var rehedge = update.SpreadPosition != SignalDirection.Flat
            && Math.Abs(update.HedgeRatio - state.SentHedgeRatio) > minimumHedgeRatioChange;
        if (state.Working is not null || !(state.Owed || update.SpreadPosition != state.SentPosition || rehedge))
        {
            return null;
        }

        return Sent(strategyId, update.SpreadPosition, update.HedgeRatio, update.Reason, barA, barB, ingestedAt);
    }

    /// <summary>A flat target, to close the spread of a strategy that was removed; null when it holds none.</summary>
    public SpreadTarget? Close(string strategyId, Candle barA, Candle barB, DateTimeOffset ingestedAt)
    {
        if (state.SentPosition == SignalDirection.Flat && Held(legA) == 0 && Held(legB) == 0)
        {
            return null;
        }

        return Sent(strategyId, SignalDirection.Flat, state.SentHedgeRatio, "strategy removed: its spread is closed", barA, barB, ingestedAt);
    }

    /// <summary>The next target, at the bars' closes, recorded as the one sent (and nothing owed any more).</summary>
    private SpreadTarget Sent(string strategyId, SignalDirection position, double hedgeRatio, string reason, Candle barA, Candle barB, DateTimeOffset ingestedAt)
    {
        state.Sequence++;
        (state.SentPosition, state.SentHedgeRatio, state.Owed) = (position, hedgeRatio, false);
        return new SpreadTarget(strategyId, legA, legB, position, hedgeRatio, barA.Close, barB.Close, state.Sequence, reason, barA.CloseTime, ingestedAt);
    }

    /// <summary>What became of a basket: a working or unwinding one is kept; the fills of a settled or unwinding one are booked.</summary>
    public void Settled(BasketOutcome outcome)
    {
        (state.LastStatus, state.LastNote) = (outcome.Status, outcome.Note);
        state.Owed = outcome.Status == BasketStatus.Faulted
            || outcome.Status == BasketStatus.Completed && !outcome.Decision.TargetReached
            || outcome.Status == BasketStatus.Refused && IsPassing(outcome.Decision.Rejection);
        state.Working = outcome.Status is BasketStatus.Working or BasketStatus.Unwinding ? outcome : null;
        if (outcome.Status is BasketStatus.Completed or BasketStatus.Unwound)
        {
            state.Baskets++;
            state.Unwinds += outcome.Status == BasketStatus.Unwound ? 1 : 0;
        }

        // An unwinding basket's fills so far count at once (the legs are held meanwhile); each fill once, by its id.
        if (outcome.Status is BasketStatus.Completed or BasketStatus.Unwound or BasketStatus.Unwinding)
        {
            foreach (var fill in outcome.Orders.SelectMany(o => o.Fills))
            {
                _fills.Apply(fill);
            }
        }
    }

    /// <summary>A refusal that a later bar may not meet again (the throttle, a target aged on the way): the target is sent again.</summary>
    private static bool IsPassing(RiskRejectionReason reason) =>
        reason is RiskRejectionReason.OpenOrderLimit or RiskRejectionReason.OrderRateLimit or RiskRejectionReason.StaleSignal;

    /// <summary>The strategy's quantity of <paramref name="symbol"/>, as its baskets filled.</summary>
    public decimal Held(string symbol) => _fills.Exposure(symbol).PositionQuantity;

    /// <summary>The held legs at the last closes, the ratio they amount to, and the spread PnL.</summary>
    public SpreadHolding Holding(decimal closeA, decimal closeB)
    {
        _fills.Mark(legA, closeA);
        _fills.Mark(legB, closeB);
        var (quantityA, quantityB) = (Held(legA), Held(legB));
        var (notionalA, notionalB) = (quantityA * closeA, quantityB * closeB);
        var (realized, unrealized, fees) = (_fills.RealizedPnl, _fills.UnrealizedPnl, state.Fills.FeesPaid);
        return new SpreadHolding(quantityA, quantityB, notionalA, notionalB, notionalA != 0 ? (double)(-notionalB / notionalA) : null,
            decimal.Round(realized, 8), decimal.Round(unrealized, 8), decimal.Round(fees, 8), decimal.Round(realized + unrealized - fees, 8),
            state.LastStatus, state.LastNote, state.Baskets, state.Unwinds);
    }
}
