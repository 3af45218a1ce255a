using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>Cuts a backtest's fills into round trips, symbol by symbol (definition on <see cref="RoundTrip"/>).</summary>
public static class RoundTrips
{
    /// <summary>
    /// The closed round trips of <paramref name="fills"/>, in the order they closed. Fills are taken in list order,
    /// which must be time order. A round trip still open after the last fill is not returned: its PnL is not realised.
    /// Quantities are compared exactly: a position is flat only when it is exactly zero.
    /// </summary>
    /// <exception cref="ArgumentException">A fill is earlier than the one before it, or its quantity is not positive.</exception>
    public static IReadOnlyList<RoundTrip> From(IReadOnlyList<BacktestFill> fills)
    {
        var open = new Dictionary<string, OpenRoundTrip>(StringComparer.Ordinal);
        var closed = new List<RoundTrip>();
        for (var i = 0; i < fills.Count; i++)
        {
            var fill = fills[i];
            if (fill.Quantity <= 0)
            {
                throw new ArgumentException($"Fill {i} ({fill.Symbol}, order {fill.OrderId}) has quantity {fill.Quantity}; a fill's quantity must be positive.", nameof(fills));
            }

            if (i > 0 && fill.Time < fills[i - 1].Time)
            {
                throw new ArgumentException($"Fill {i} at {fill.Time:O} is earlier than fill {i - 1} at {fills[i - 1].Time:O}; fills must be in time order.", nameof(fills));
            }

            var signedQuantity = fill.Side == OrderSide.Buy ? fill.Quantity : -fill.Quantity;
            if (!open.TryGetValue(fill.Symbol, out var trip))
            {
                open[fill.Symbol] = new OpenRoundTrip(fill, signedQuantity, fill.Fee);
                continue;
            }

            var after = trip.Position + signedQuantity;
            if (after != 0 && Math.Sign(after) != Math.Sign(trip.Position))
            {
                // The fill flips the position: the part that brings it to zero closes this round trip, the rest
                // opens the next, and the fee follows the quantity. The opening part takes the remainder so the
                // two parts add up to the fill's fee exactly.
                var closingQuantity = Math.Abs(trip.Position);
                var closingFee = fill.Fee * closingQuantity / fill.Quantity;
                trip.Add(-trip.Position, fill.Price, closingFee);
                closed.Add(trip.Close(fill.Time));
                open[fill.Symbol] = new OpenRoundTrip(fill, after, fill.Fee - closingFee);
                continue;
            }

            trip.Add(signedQuantity, fill.Price, fill.Fee);
            if (after == 0)
            {
                closed.Add(trip.Close(fill.Time));
                open.Remove(fill.Symbol);
            }
        }

        return closed;
    }

    private sealed class OpenRoundTrip
    {
        private readonly string _symbol;
        private readonly DateTimeOffset _opened;
        private readonly int _direction;
        private decimal _cashFlow;
        private decimal _fees;

        public OpenRoundTrip(BacktestFill opening, decimal signedQuantity, decimal fee)
        {
            _symbol = opening.Symbol;
            _opened = opening.Time;
            _direction = Math.Sign(signedQuantity);
            Add(signedQuantity, opening.Price, fee);
        }

        public decimal Position { get; private set; }

        /// <summary>A buy (positive quantity) pays quantity × price, a sell receives it.</summary>
        public void Add(decimal signedQuantity, decimal price, decimal fee)
        {
            Position += signedQuantity;
            _cashFlow -= signedQuantity * price;
            _fees += fee;
        }

        public RoundTrip Close(DateTimeOffset time) => new(_symbol, _direction, _opened, time, _cashFlow - _fees, _fees);
    }
}
