using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Risk;

/// <summary>One pair strategy's sub-positions as risk approved them, and what they were before its latest basket.</summary>
[GenerateSerializer]
public sealed class SpreadBookEntry
{
    [Id(0)] public string LegA { get; set; } = "";

    [Id(1)] public string LegB { get; set; } = "";

    [Id(2)] public decimal QuantityA { get; set; }

    [Id(3)] public decimal QuantityB { get; set; }

    /// <summary>The sequence of the spread target the quantities come from.</summary>
    [Id(4)] public long Sequence { get; set; }

    [Id(5)] public decimal PreviousA { get; set; }

    [Id(6)] public decimal PreviousB { get; set; }

    /// <summary>The strategy's sub-position on <paramref name="symbol"/> (0 when it is not a leg).</summary>
    public decimal On(string symbol) => (LegA == symbol ? QuantityA : 0) + (LegB == symbol ? QuantityB : 0);
}

/// <summary>What one spread decision reads: both legs' portfolio views, the limits, the instruments, risk's own state.</summary>
/// <param name="HeldA">The strategy's sub-position on leg A as risk last approved it.</param>
/// <param name="CommittedA">What open orders commit of the free balances a leg A order would spend (see <see cref="AvailableBalanceRule"/>).</param>
public sealed record SpreadRiskInputs(
    PortfolioRiskView ViewA,
    PortfolioRiskView ViewB,
    RiskLimits Limits,
    RiskOptions Model,
    InstrumentRules InstrumentA,
    InstrumentRules InstrumentB,
    TradingState State,
    int OpenOrders,
    int ApprovalsLastMinute,
    DateTimeOffset Now,
    decimal HeldA,
    decimal HeldB,
    OpenCommitments CommittedA = default,
    OpenCommitments CommittedB = default);

/// <summary>
/// Sizes a pair strategy's spread target as one unit and checks both legs in one decision. For the spread
/// ln A − β ln B, leg A holds notional N and leg B −β·N, so the position's PnL is ≈ N·Δspread; N is the strategy's
/// share of equity (<c>PositionSizeFraction</c>) spread over the gross |N| + |β N|. Both legs are cut together to the
/// position and order limits (the ratio kept), leg A is rounded down to its lot and leg B follows from A's rounded
/// notional, rounded down to its own lot. The kill switch, short selling, a spot account's free balances, the throttle,
/// gross and net exposure and VaR after both legs are checked on the pair of orders: a basket that breaks one is refused
/// whole, no leg sent.
/// </summary>
public static class SpreadRisk
{
    /// <summary>
    /// How a basket's legs and unwinds are executed, whatever <c>Trading:Execution</c>'s defaults: one market order each
    /// at once, since the spread is only taken when both legs fill together (a schedule or a limit would leave a leg alone).
    /// </summary>
    public static readonly ExecutionInstruction Immediate = new("immediate", TimeSpan.Zero);

    public static SpreadDecision Decide(SpreadTarget target, SpreadRiskInputs inputs)
    {
        var limits = inputs.Limits;
        if (inputs.State == TradingState.Halted)
        {
            return Refused(target, inputs, RiskRejectionReason.TradingHalted, "Trading is halted: no basket is sent until trading is resumed.");
        }

        if (target.PriceA <= 0 || target.PriceB <= 0)
        {
            return Refused(target, inputs, RiskRejectionReason.NoPriceAvailable, RiskCheck.Invariant($"No price for both legs ({target.PriceA}, {target.PriceB})."));
        }

        if (inputs.State == TradingState.Reducing && target.Position != SignalDirection.Flat)
        {
            return Refused(target, inputs, RiskRejectionReason.ReducingOnly, "Trading is reducing-only: a spread may only be closed.");
        }

        var notes = new List<string>();
        var (quantityA, quantityB, reached) = Size(target, inputs, notes);
        var (orderA, orderB) = (quantityA - inputs.HeldA, quantityB - inputs.HeldB);
        if (KeptForMinimum(target.LegA, ref orderA, ref quantityA, inputs.HeldA, target.PriceA, inputs.InstrumentA, limits, notes) is { } minimumA)
        {
            return Refused(target, inputs, RiskRejectionReason.BelowMinimumNotional, Join(notes, minimumA));
        }

        if (KeptForMinimum(target.LegB, ref orderB, ref quantityB, inputs.HeldB, target.PriceB, inputs.InstrumentB, limits, notes) is { } minimumB)
        {
            return Refused(target, inputs, RiskRejectionReason.BelowMinimumNotional, Join(notes, minimumB));
        }

        if (orderA == 0 && orderB == 0)
        {
            return Refused(target, inputs, RiskRejectionReason.AlreadyAtTarget,
                Join(notes, RiskCheck.Invariant($"holding {inputs.HeldA} {target.LegA} and {inputs.HeldB} {target.LegB}: nothing to trade")));
        }

        var (positionA, positionB) = (inputs.ViewA.Exposure.PositionQuantity, inputs.ViewB.Exposure.PositionQuantity);
        if (!limits.AllowShortSelling && (positionA + orderA < 0 || positionB + orderB < 0))
        {
            return Refused(target, inputs, RiskRejectionReason.ShortSellingDisabled, Join(notes,
                RiskCheck.Invariant($"short selling is disabled and the basket would leave {positionA + orderA} {target.LegA}, {positionB + orderB} {target.LegB}")));
        }

        if (Unpayable(target, inputs, orderA, orderB) is { } unpayable)
        {
            return Refused(target, inputs, RiskRejectionReason.InsufficientBalance, Join(notes, unpayable));
        }

        var legs = (orderA != 0 ? 1 : 0) + (orderB != 0 ? 1 : 0);
        if (limits.MaxOpenOrders > 0 && inputs.OpenOrders + legs > limits.MaxOpenOrders)
        {
            return Refused(target, inputs, RiskRejectionReason.OpenOrderLimit, Join(notes,
                RiskCheck.Invariant($"{inputs.OpenOrders} orders are still open and the basket adds {legs}, the limit is {limits.MaxOpenOrders}")));
        }

        if (limits.MaxOrdersPerMinute > 0 && inputs.ApprovalsLastMinute + legs > limits.MaxOrdersPerMinute)
        {
            return Refused(target, inputs, RiskRejectionReason.OrderRateLimit, Join(notes,
                RiskCheck.Invariant($"{inputs.ApprovalsLastMinute} orders in the last minute and the basket adds {legs}, the limit is {limits.MaxOrdersPerMinute}")));
        }

        var after = new BasketAfterTrade(inputs.ViewA, inputs.ViewB, target.PriceA, target.PriceB, orderA, orderB);
        if (PortfolioLimit(after, inputs, notes) is { } broken)
        {
            return Refused(target, inputs, broken.Reason, Join(notes, broken.Explanation));
        }

        var explanation = Join(notes);
        var reason = RiskCheck.Invariant($"{target.Position} spread of {target.StrategyId} (β {target.HedgeRatio:0.####}): {target.Reason}; {explanation}");
        IReadOnlyList<OrderIntent> intents =
        [
            .. Leg(target, target.LegA, orderA, target.PriceA, reason),
            .. Leg(target, target.LegB, orderB, target.PriceB, reason),
        ];
        return new SpreadDecision(target.StrategyId, target.Sequence, quantityA, quantityB, intents, RiskRejectionReason.None, explanation, inputs.Now, reached);
    }

    /// <summary>The intent id of a basket's leg: the same for the same target, so a target sent again is the same orders.</summary>
    public static string LegIntentId(SpreadTarget target, string symbol) =>
        $"{target.StrategyId}-{target.MarketTime.ToUnixTimeMilliseconds()}-{target.Sequence}-{symbol}";

    /// <summary>
    /// Both legs' sub-positions: A's notional N = fraction × equity / (1 + |β|), B's −β·N, cut together to the position
    /// limit and to what one order per leg may trade (the order limit), then rounded: A down to its lot, B from A's
    /// rounded notional, down to its lot. Returns whether the order limit left the spread short of its size.
    /// </summary>
    private static (decimal A, decimal B, bool Reached) Size(SpreadTarget target, SpreadRiskInputs inputs, List<string> notes)
    {
        var limits = inputs.Limits;
        var equity = Math.Max(inputs.ViewA.Exposure.Equity, 0m);
        var beta = (decimal)target.HedgeRatio;
        var gross = target.Position == SignalDirection.Flat ? 0 : limits.PositionSizeFraction * equity;
        var notionalA = (int)target.Position * gross / (1 + Math.Abs(beta));
        notes.Add(RiskCheck.Invariant(
            $"{target.Position} spread: {limits.PositionSizeFraction * 100:0.####} % of equity {equity:0.##} = {gross:0.##} over |N| + |β N| with β {beta:0.####}: N {notionalA:0.##} in {target.LegA}, {-beta * notionalA:0.##} in {target.LegB}"));

        var largestLeg = Math.Max(Math.Abs(notionalA), Math.Abs(beta * notionalA));
        if (largestLeg > limits.MaxPositionNotional)
        {
            notionalA *= limits.MaxPositionNotional / largestLeg;
            notes.Add(RiskCheck.Invariant($"both legs scaled to the position limit {limits.MaxPositionNotional}: N {notionalA:0.##}"));
        }

        // The largest share k of the new sub-positions that each leg reaches in one order within the order limit.
        var share = Math.Min(
            OrderLimitShare(notionalA / target.PriceA, inputs.HeldA, limits.MaxOrderNotional / target.PriceA),
            OrderLimitShare(-beta * notionalA / target.PriceB, inputs.HeldB, limits.MaxOrderNotional / target.PriceB));
        if (share < 1)
        {
            notionalA *= share;
            notes.Add(RiskCheck.Invariant($"both legs scaled to {share:P1} by the order limit {limits.MaxOrderNotional}: N {notionalA:0.##}; the rest follows"));
        }

        var quantityA = Math.Sign(notionalA) * inputs.InstrumentA.RoundDown(Math.Abs(notionalA) / target.PriceA);
        var quantityB = -Math.Sign(beta * notionalA) * inputs.InstrumentB.RoundDown(Math.Abs(beta * quantityA * target.PriceA) / target.PriceB);
        notes.Add(RiskCheck.Invariant(
            $"legs in whole lots: {quantityA} {target.LegA} at {target.PriceA}, {quantityB} {target.LegB} at {target.PriceB} (from {target.LegA}'s rounded notional)"));
        return (quantityA, quantityB, share >= 1);
    }

    /// <summary>The largest k in [0, 1] with |k·wanted − held| ≤ cap (0 when even flat is further than the cap).</summary>
    private static decimal OrderLimitShare(decimal wanted, decimal held, decimal cap) =>
        wanted == 0 ? 1 : Math.Clamp((held * Math.Sign(wanted) + cap) / Math.Abs(wanted), 0, 1);

    /// <summary>
    /// A leg's order below the minimum (the limits' and the instrument's): a re-hedge of a leg that stays open keeps
    /// that leg as held; a leg that opens or closes cannot be left out, so the basket is refused (the text says why).
    /// </summary>
    private static string? KeptForMinimum(
        string symbol, ref decimal order, ref decimal quantity, decimal held, decimal price, InstrumentRules instrument, RiskLimits limits, List<string> notes)
    {
        var size = Math.Abs(order);
        var minimum = Math.Max(limits.MinOrderNotional, instrument.MinNotional);
        if (order == 0 || (size * price >= minimum && size >= instrument.MinQuantity))
        {
            return null;
        }

        var below = RiskCheck.Invariant($"{symbol}'s order {order} × {price} = {size * price:0.##} is below the minimum order (value {minimum}, quantity {instrument.MinQuantity})");
        if (held == 0 || quantity == 0)
        {
            return below;
        }

        notes.Add($"{below}: the leg stays at {held}");
        (order, quantity) = (0, held);
        return null;
    }

    /// <summary>Gross and net exposure and VaR with both legs filled, each within its limit or no worse than before.</summary>
    private static (RiskRejectionReason Reason, string Explanation)? PortfolioLimit(BasketAfterTrade after, SpreadRiskInputs inputs, List<string> notes)
    {
        var limits = inputs.Limits;
        var checks = new List<(RiskRejectionReason Reason, string Name, double Limit, Func<double, double> Measure)>();
        if (limits.MaxGrossExposure > 0)
        {
            checks.Add((RiskRejectionReason.GrossExposureLimit, "gross exposure", (double)limits.MaxGrossExposure, after.Gross));
        }

        if (limits.MaxNetExposure > 0)
        {
            checks.Add((RiskRejectionReason.NetExposureLimit, "net exposure", (double)limits.MaxNetExposure, f => Math.Abs(after.Net(f))));
        }

        var budget = (double)(limits.MaxValueAtRiskFraction * inputs.ViewA.Exposure.Equity);
        var view = inputs.ViewA;
        if (budget > 0 && view.ReturnObservations >= inputs.Model.MinimumReturnObservations && view.BarInterval is { } bar)
        {
            var z = Normal.InvCDF(0, 1, inputs.Model.ValueAtRiskConfidence);
            var horizonBars = ValueAtRiskRule.HorizonBars(inputs.Model.ValueAtRiskHorizon, bar);
            checks.Add((RiskRejectionReason.ValueAtRiskLimit,
                RiskCheck.Invariant($"VaR {inputs.Model.ValueAtRiskConfidence:P1} over {inputs.Model.ValueAtRiskHorizon}"), budget,
                f => ValueAtRiskRule.OfVariance(after.Variance(f), z, horizonBars)));
        }

        foreach (var (reason, name, limit, measure) in checks)
        {
            var (before, with) = (measure(0), measure(1));
            if (with > Math.Max(limit, before) * (1 + 1e-12))
            {
                return (reason, RiskCheck.Invariant($"{name} after both legs {with:0.##} (limit {limit:0.##}, before {before:0.##}): the basket is refused whole"));
            }

            notes.Add(RiskCheck.Invariant($"{name} after both legs {with:0.##} (limit {limit:0.##})"));
        }

        return null;
    }

    private static IEnumerable<OrderIntent> Leg(SpreadTarget target, string symbol, decimal order, decimal price, string reason)
    {
        if (order != 0)
        {
            yield return new OrderIntent(LegIntentId(target, symbol), symbol, order > 0 ? OrderSide.Buy : OrderSide.Sell, Math.Abs(order), price,
                reason, target.MarketTime, target.IngestedAt, Immediate);
        }
    }

    /// <summary>
    /// Against a spot account both legs must be payable at once from the free balances, less what open orders committed:
    /// the buys' value with the taker fee from the free quote, each sell from its free base asset (as
    /// <see cref="AvailableBalanceRule"/> checks a single order). The basket is refused whole, never scaled: a smaller leg
    /// would break the hedge ratio. Null when payable, or without a venue account.
    /// </summary>
    private static string? Unpayable(SpreadTarget target, SpreadRiskInputs inputs, decimal orderA, decimal orderB)
    {
        if (inputs.ViewA.Available is not { } a || inputs.ViewB.Available is not { } b)
        {
            return null;
        }

        // The committed buy value is every open buy's, whatever its symbol: the same figure in both legs' commitments.
        var buys = Math.Max(orderA, 0) * target.PriceA + Math.Max(orderB, 0) * target.PriceB;
        var spendable = a.FreeQuote - inputs.CommittedA.BuyValue;
        if (buys > 0 && buys * (1 + a.TakerFeeRate) > spendable)
        {
            return RiskCheck.Invariant(
                $"the basket's buys of {buys:0.########} {a.QuoteAsset} with the {a.TakerFeeRate:0.####} fee need {buys * (1 + a.TakerFeeRate):0.########}; free {a.FreeQuote:0.########} less {inputs.CommittedA.BuyValue:0.########} committed to open buys leaves {spendable:0.########}");
        }

        foreach (var (order, available, committed) in new[] { (orderA, a, inputs.CommittedA), (orderB, b, inputs.CommittedB) })
        {
            if (order < 0 && -order > available.FreeBase - committed.SellQuantity)
            {
                return RiskCheck.Invariant(
                    $"a sell of {-order:0.########} {available.BaseAsset} needs them free; free {available.FreeBase:0.########} less {committed.SellQuantity:0.########} committed to open sells leaves {available.FreeBase - committed.SellQuantity:0.########}");
            }
        }

        return null;
    }

    private static SpreadDecision Refused(SpreadTarget target, SpreadRiskInputs inputs, RiskRejectionReason reason, string explanation) =>
        new(target.StrategyId, target.Sequence, inputs.HeldA, inputs.HeldB, [], reason, explanation, inputs.Now);

    private static string Join(List<string> notes, string? last = null) => string.Join("; ", last is null ? notes : [.. notes, last]);
}

/// <summary>
/// The portfolio with a share f of both leg orders filled together: the values of the other symbols are fixed, each
/// leg's moves with f, so gross, net and the variance are closed forms in f.
/// </summary>
public sealed class BasketAfterTrade
{
    private readonly double _othersGross;
    private readonly double _othersNet;
    private readonly double _valueA;
    private readonly double _valueB;
    private readonly double _tradeA;
    private readonly double _tradeB;
    private readonly double _variance;
    private readonly double _cross;
    private readonly double _own;

    public BasketAfterTrade(PortfolioRiskView viewA, PortfolioRiskView viewB, decimal priceA, decimal priceB, decimal orderA, decimal orderB)
    {
        var legA = viewA.Symbols.Count - 1;
        var legB = PortfolioAfterTrade.IndexOf(viewA, viewB.Symbols[^1]);
        var valuesA = new double[viewA.Symbols.Count];
        for (var i = 0; i < valuesA.Length; i++)
        {
            var price = i == legA ? priceA : i == legB ? priceB : viewA.Prices[i];
            valuesA[i] = (double)(viewA.Quantities[i] * price);
            if (i != legA && i != legB)
            {
                _othersGross += Math.Abs(valuesA[i]);
                _othersNet += valuesA[i];
            }
        }

        (_valueA, _valueB) = (valuesA[legA], valuesA[legB]);
        (_tradeA, _tradeB) = ((double)(orderA * priceA), (double)(orderB * priceB));

        // σ²(f) = w'Σw + 2f(d_A (Σw)_A + d_B (Σw)_B) + f²(d_A² Σ_AA + d_B² Σ_BB + 2 d_A d_B Σ_AB); (Σw)_B from leg B's view.
        var inViewB = viewB.Symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        double withA = 0, withB = 0;
        for (var i = 0; i < valuesA.Length; i++)
        {
            withA += valuesA[i] * viewA.CovarianceWithTraded[i];
            withB += valuesA[i] * viewB.CovarianceWithTraded[inViewB[viewA.Symbols[i]]];
        }

        _variance = viewA.PortfolioVariance;
        _cross = _tradeA * withA + _tradeB * withB;
        _own = _tradeA * _tradeA * viewA.Variances[legA] + _tradeB * _tradeB * viewB.Variances[^1] + 2 * _tradeA * _tradeB * viewA.CovarianceWithTraded[legB];
    }

    /// <summary>Σ|position value| with a share <paramref name="f"/> of both legs filled.</summary>
    public double Gross(double f) => _othersGross + Math.Abs(_valueA + f * _tradeA) + Math.Abs(_valueB + f * _tradeB);

    /// <summary>Σ position value with a share <paramref name="f"/> of both legs filled.</summary>
    public double Net(double f) => _othersNet + _valueA + f * _tradeA + _valueB + f * _tradeB;

    /// <summary>The portfolio's per-bar return variance (in money²) with a share <paramref name="f"/> of both legs filled.</summary>
    public double Variance(double f) => _variance + 2 * f * _cross + f * f * _own;
}
