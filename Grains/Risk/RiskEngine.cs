using System.Globalization;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Risk;

/// <summary>Turns a combined signal into an order intent, or a rejection that says why with the numbers.</summary>
public static class RiskEngine
{
    /// <summary>
    /// The target position is <c>TargetExposure × PositionSizeFraction × equity / price</c> (with Kelly sizing on, the
    /// size fraction is <c>clamp(KellyFraction × f*, 0, PositionSizeFraction)</c>), clipped to the position
    /// limit; the order is the difference from the current position, clipped to the order limit, rounded down to the instrument's lot.
    /// </summary>
    public static RiskDecision Decide(CombinedSignal signal, SymbolExposure exposure, RiskLimits limits, InstrumentRules instrument, TradingState state, DateTimeOffset now)
    {
        RiskDecision Reject(RiskRejectionReason reason, string explanation) =>
            new(signal.Symbol, signal.Sequence, null, reason, explanation, now);

        if (state == TradingState.Halted)
        {
            // The kill switch and the drawdown stop both halt; the grain's status carries which one and why.
            return Reject(RiskRejectionReason.TradingHalted, "Trading is halted: no order is sent until trading is resumed.");
        }

        var price = signal.Price;
        if (price <= 0)
        {
            return Reject(RiskRejectionReason.NoPriceAvailable, $"No usable price for {signal.Symbol} (got {price}).");
        }

        var notes = new List<string>();
        var exposureFraction = (decimal)signal.TargetExposure;
        // A blown account has nothing to size on: negative equity would turn a long vote into a short.
        var sizingEquity = Math.Max(exposure.Equity, 0m);
        var sizeFraction = limits.PositionSizeFraction;
        if (limits.KellyFraction > 0 && signal.FullKelly is { } fullKelly)
        {
            sizeFraction = (decimal)Math.Clamp((double)limits.KellyFraction * fullKelly, 0, (double)limits.PositionSizeFraction);
            notes.Add(Invariant($"Kelly: {limits.KellyFraction} × f* {fullKelly:0.####} within [0, {limits.PositionSizeFraction}] = {sizeFraction:0.####} of equity"));
        }

        var target = exposureFraction * sizeFraction * sizingEquity / price;
        notes.Add(Invariant($"target {exposureFraction:0.####} × {sizeFraction * 100:0.####} % of equity {exposure.Equity:0.##} / {price} = {target:0.#####}"));

        var shortBlocked = target < 0 && !limits.AllowShortSelling;
        if (shortBlocked)
        {
            target = 0;
            notes.Add("short selling disabled: target 0");
        }

        var limitedByPosition = false;
        if (Math.Abs(target) * price > limits.MaxPositionNotional)
        {
            target = Math.Sign(target) * limits.MaxPositionNotional / price;
            limitedByPosition = true;
            notes.Add(Invariant($"scaled to position limit {limits.MaxPositionNotional}: {target:0.#####}"));
        }

        var delta = target - exposure.PositionQuantity;
        var scaledToOrderLimit = Math.Abs(delta) * price > limits.MaxOrderNotional;
        if (scaledToOrderLimit)
        {
            delta = Math.Sign(delta) * limits.MaxOrderNotional / price;
            notes.Add(Invariant($"order scaled to order limit {limits.MaxOrderNotional}"));
        }

        var quantity = instrument.RoundDown(Math.Abs(delta));
        var explanation = string.Join("; ", notes);
        if (state == TradingState.Reducing && quantity > 0 && !Reduces(exposure.PositionQuantity, Math.Sign(delta) * quantity))
        {
            return Reject(RiskRejectionReason.ReducingOnly,
                Invariant($"{explanation}; trading is reducing-only and {(delta > 0 ? "buying" : "selling")} {quantity} would not shrink the position of {exposure.PositionQuantity}"));
        }

        if (quantity == 0 && scaledToOrderLimit)
        {
            // Not at target: the order limit buys less than one lot, so no order can ever get there.
            return Reject(RiskRejectionReason.BelowMinimumNotional,
                Invariant($"{explanation}; the order limit {limits.MaxOrderNotional} / {price} = {limits.MaxOrderNotional / price:0.########} is less than one lot of {instrument.LotStep}"));
        }

        if (quantity == 0)
        {
            var reason = shortBlocked ? RiskRejectionReason.ShortSellingDisabled
                : limitedByPosition ? RiskRejectionReason.PositionLimitReached
                : RiskRejectionReason.AlreadyAtTarget;
            return Reject(reason, Invariant($"{explanation}; holding {exposure.PositionQuantity}, nothing to trade"));
        }

        if (quantity * price < limits.MinOrderNotional)
        {
            return Reject(RiskRejectionReason.BelowMinimumNotional,
                Invariant($"{explanation}; order {quantity} × {price} = {quantity * price:0.##} is below the minimum {limits.MinOrderNotional}"));
        }

        var intent = new OrderIntent(
            $"{signal.Symbol}-{signal.MarketTime.ToUnixTimeMilliseconds()}-{signal.Sequence}",
            signal.Symbol,
            delta > 0 ? OrderSide.Buy : OrderSide.Sell,
            quantity,
            price,
            Invariant($"{Describe(signal)}: {explanation}; holding {exposure.PositionQuantity}"),
            signal.MarketTime,
            signal.IngestedAt);
        return new RiskDecision(signal.Symbol, signal.Sequence, intent, RiskRejectionReason.None, explanation, now, TargetReached: !scaledToOrderLimit);
    }

    /// <summary>Whether an order moves the position towards zero without crossing it.</summary>
    internal static bool Reduces(decimal position, decimal signedOrder) =>
        position != 0 && Math.Sign(signedOrder) == -Math.Sign(position) && Math.Abs(signedOrder) <= Math.Abs(position);

    private static string Describe(CombinedSignal signal) =>
        $"{signal.Direction} vote of {string.Join(", ", signal.Contributions.Select(c => $"{c.StrategyId}={c.Direction}"))}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
