using System.Globalization;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>One routed piece of a child order: the venue, the quantity it takes, and why it was chosen.</summary>
public sealed record RoutedPiece(VenueSnapshot Venue, decimal Quantity, string Reason);

/// <summary>
/// Splits an order across venues by best effective price after costs: reference × (1 ± (slippage + fee) / 10⁴),
/// lowest first for a buy, highest first for a sell. Each venue takes as much as its maximum order quantity
/// allows (rounded down to the lot); a venue whose minimum order value the piece would miss is skipped. What no
/// venue can take is left unrouted and said so.
/// </summary>
public static class SmartOrderRouter
{
    public static (IReadOnlyList<RoutedPiece> Pieces, decimal Unrouted) Route(
        OrderSide side, decimal quantity, decimal referencePrice, IReadOnlyList<VenueSnapshot> venues, InstrumentRules instrument)
    {
        if (venues.Count == 1)
        {
            // One venue: nothing to choose; its own filters answer for the order.
            return ([new RoutedPiece(venues[0], quantity, $"{venues[0].Name}: the only venue")], 0);
        }

        var sign = side == OrderSide.Buy ? 1 : -1;
        decimal Effective(VenueSnapshot venue) => referencePrice * (1 + sign * (venue.Terms.SlippageBps + venue.Terms.FeeBps) / 10_000m);
        var ranked = venues
            .OrderBy(v => sign * Effective(v))
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToArray();

        var pieces = new List<RoutedPiece>();
        var remaining = quantity;
        for (var rank = 0; rank < ranked.Length && remaining > 0; rank++)
        {
            var venue = ranked[rank];
            var take = venue.Terms.MaxOrderQuantity > 0
                ? Math.Min(remaining, instrument.RoundDown(venue.Terms.MaxOrderQuantity))
                : remaining;
            if (take <= 0 || take * referencePrice < venue.Terms.MinNotional)
            {
                continue;
            }

            var limit = venue.Terms.MaxOrderQuantity > 0 ? Invariant($" (venue maximum {venue.Terms.MaxOrderQuantity:0.########})") : "";
            pieces.Add(new RoutedPiece(venue, take, Invariant(
                $"{venue.Name}: effective {Effective(venue):0.########} (fee {venue.Terms.FeeBps} bps, slippage {venue.Terms.SlippageBps} bps), rank {rank + 1} of {ranked.Length}; takes {take:0.########} of {remaining:0.########}{limit}")));
            remaining -= take;
        }

        return (pieces, remaining);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
