using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// Against a spot account (<c>Testnet</c>, <c>Live</c>) the order that would be sent must be payable from its free
/// balances: a buy's value plus its taker fee from the free quote less what open buys committed, a sell from the free
/// base less what open sells committed. A signal's larger order is scaled down to what is payable (its target is a
/// share of equity, which holdings count in, not a quantity anyone asked for); an order asked for as it is (manual, a
/// rebalance) is refused rather than sent smaller than asked, as is a signal's when less than the minimum order is left:
/// <c>InsufficientBalance</c>, with the figures. Without a venue account (<c>Paper</c>) the rule does not apply.
/// </summary>
public sealed class AvailableBalanceRule : IRiskRule
{
    public RiskDenial? Check(RiskCheck order)
    {
        if (order.Inputs.View.Available is not { } available || order.FinalQuantity <= 0)
        {
            return null;
        }

        var (quantity, price, committed) = (order.FinalQuantity, order.Price, order.Inputs.Committed);
        decimal payable;
        string figures;
        if (order.Delta > 0)
        {
            var spendable = available.FreeQuote - committed.BuyValue;
            var fee = available.TakerFeeRate;
            payable = spendable > 0 ? order.Inputs.Instrument.RoundDown(spendable / (price * (1 + fee))) : 0;
            figures = RiskCheck.Invariant(
                $"a buy of {quantity:0.########} × {price:0.########} with the {fee:0.####} fee needs {quantity * price * (1 + fee):0.########} {available.QuoteAsset}; free {available.FreeQuote:0.########} less {committed.BuyValue:0.########} committed to open buys leaves {spendable:0.########}");
        }
        else
        {
            var spendable = available.FreeBase - committed.SellQuantity;
            payable = order.Inputs.Instrument.RoundDown(spendable);
            figures = RiskCheck.Invariant(
                $"a sell of {quantity:0.########} {available.BaseAsset} needs them free; free {available.FreeBase:0.########} less {committed.SellQuantity:0.########} committed to open sells leaves {spendable:0.########}");
        }

        if (quantity <= payable)
        {
            return null;
        }

        var instrument = order.Inputs.Instrument;
        if (order.FromSignal && payable > 0 && payable >= instrument.MinQuantity && payable * price >= Math.Max(order.Limits.MinOrderNotional, instrument.MinNotional))
        {
            order.FinalQuantity = payable;
            order.PortfolioNotes.Add(RiskCheck.Invariant($"{figures}: order scaled to {payable:0.########}"));
            return null;
        }

        var unread = available.AsOf is null ? " (the account has not been read yet)" : "";
        var shortOfMinimum = order.FromSignal ? RiskCheck.Invariant($": what is payable ({payable:0.########}) is below the minimum order") : "";
        return new RiskDenial(RiskRejectionReason.InsufficientBalance, $"{order.Explanation}; {figures}{unread}{shortOfMinimum}");
    }
}
