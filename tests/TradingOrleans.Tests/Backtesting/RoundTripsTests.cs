using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Backtesting;

public sealed class RoundTripsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// BTC: a long partly closed, then flipped short by one sell, then the short closed. ETH: a short closed, then a
    /// long left open. The ETH short opens between the BTC fills, so the trips are listed in the order they close.
    /// </summary>
    internal static readonly BacktestFill[] PartialCloseFlipAndShort =
    [
        Fill(T0.AddHours(1), "BTC", OrderSide.Buy, 2, 100, 0.2m),
        Fill(T0.AddHours(2), "BTC", OrderSide.Sell, 1, 110, 0.11m),
        Fill(T0.AddHours(2.5), "ETH", OrderSide.Sell, 5, 10, 0.05m),
        Fill(T0.AddHours(3), "BTC", OrderSide.Sell, 3, 120, 0.36m),
        Fill(T0.AddHours(4), "BTC", OrderSide.Buy, 2, 125, 0.25m),
        Fill(T0.AddHours(5), "ETH", OrderSide.Buy, 5, 9, 0.045m),
        Fill(T0.AddHours(6), "ETH", OrderSide.Buy, 1, 9.5m, 0.01m),
    ];

    [Fact]
    public void A_partial_close_a_flip_and_a_short_make_the_round_trips_worked_by_hand()
    {
        var trips = RoundTrips.From(PartialCloseFlipAndShort);

        // BTC long: −2·100 + 1·110 + 1·120 = 30 (the flipping sell of 3 closes 1 of it); fees 0.2 + 0.11 + 0.36·1/3
        // = 0.43; net 29.57.
        // BTC short: opened by the other 2 of that sell, +2·120 − 2·125 = −10; fees 0.36·2/3 + 0.25 = 0.49; net −10.49.
        // ETH short: +5·10 − 5·9 = 5; fees 0.05 + 0.045 = 0.095; net 4.905. The ETH long bought at 6:00 is still open.
        RoundTrip[] expected =
        [
            new("BTC", +1, T0.AddHours(1), T0.AddHours(3), 29.57m, 0.43m),
            new("BTC", -1, T0.AddHours(3), T0.AddHours(4), -10.49m, 0.49m),
            new("ETH", -1, T0.AddHours(2.5), T0.AddHours(5), 4.905m, 0.095m),
        ];
        Assert.Equal(expected, trips);
    }

    [Fact]
    public void A_flipping_fee_that_does_not_divide_evenly_is_split_without_losing_any_of_it()
    {
        // The sell of 3 closes 1 and opens 2: its fee 0.01 splits into 0.01/3 and 0.02/3, which decimal rounds;
        // the opening part takes the remainder so the two still add up to 0.01.
        var trips = RoundTrips.From(
        [
            Fill(T0, "BTC", OrderSide.Buy, 1, 100, 0),
            Fill(T0.AddHours(1), "BTC", OrderSide.Sell, 3, 100, 0.01m),
            Fill(T0.AddHours(2), "BTC", OrderSide.Buy, 2, 100, 0),
        ]);

        Assert.Equal(2, trips.Count);
        Assert.Equal(0.01m / 3, trips[0].Fees);
        Assert.Equal(0.01m, trips[0].Fees + trips[1].Fees);
        Assert.Equal(-trips[0].Fees, trips[0].NetPnl);
    }

    [Fact]
    public void A_position_left_open_at_the_end_is_not_a_round_trip()
    {
        Assert.Empty(RoundTrips.From([Fill(T0, "BTC", OrderSide.Buy, 1, 100, 0.1m), Fill(T0.AddHours(1), "BTC", OrderSide.Sell, 0.4m, 110, 0.1m)]));
        Assert.Empty(RoundTrips.From([]));
    }

    [Fact]
    public void Fills_out_of_time_order_or_without_quantity_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RoundTrips.From([Fill(T0.AddHours(1), "BTC", OrderSide.Buy, 1, 100, 0), Fill(T0, "BTC", OrderSide.Sell, 1, 100, 0)]));
        Assert.Throws<ArgumentException>(() => RoundTrips.From([Fill(T0, "BTC", OrderSide.Buy, 0, 100, 0)]));
    }

    internal static BacktestFill Fill(DateTimeOffset time, string symbol, OrderSide side, decimal quantity, decimal price, decimal fee) =>
        new(time, symbol, side, quantity, price, fee, $"{symbol}-{time:HHmm}");
}
