using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

public sealed class PortfolioLedgerTests
{
    private static readonly DateTimeOffset At = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int _fills;

    private static Fill Fill(OrderSide side, decimal quantity, decimal price, decimal fee, string symbol = "BTCUSDT") =>
        new($"f{++_fills}", $"c{_fills}", symbol, side, quantity, price, fee, At);

    private static (PortfolioLedger Ledger, PortfolioState State) Funded(decimal cash = 10_000m)
    {
        var state = new PortfolioState();
        var ledger = new PortfolioLedger(state);
        ledger.Fund(cash);
        return (ledger, state);
    }

    [Fact]
    public void Buys_sells_and_a_flip_move_cash_cost_and_realized_pnl_as_worked_out_by_hand()
    {
        var (ledger, state) = Funded(10_000m);
        var position = () => state.Positions["BTCUSDT"];

        ledger.Apply(Fill(OrderSide.Buy, 2m, 100m, 0.2m));   // cash 10,000 − 200 − 0.2 = 9,799.8; avg 100
        Assert.Equal((9_799.8m, 2m, 100m), (state.Cash, position().Quantity, position().AverageCost));

        ledger.Apply(Fill(OrderSide.Buy, 2m, 110m, 0.22m));  // cash − 220.22 = 9,579.58; avg (200 + 220) / 4 = 105
        Assert.Equal((9_579.58m, 4m, 105m), (state.Cash, position().Quantity, position().AverageCost));

        ledger.Apply(Fill(OrderSide.Sell, 1m, 120m, 0.12m)); // cash + 119.88 = 9,699.46; realized (120 − 105) × 1 = 15
        Assert.Equal((9_699.46m, 3m, 105m, 15m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        ledger.Apply(Fill(OrderSide.Sell, 5m, 90m, 0.45m));  // cash + 449.55 = 10,149.01; closes 3: (90 − 105) × 3 = −45 → −30; short 2 at 90
        Assert.Equal((10_149.01m, -2m, 90m, -30m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        ledger.Apply(Fill(OrderSide.Buy, 2m, 80m, 0.16m));   // cash − 160.16 = 9,988.85; cover: (80 − 90) × 2 × −1 = +20 → −10; flat
        Assert.Equal((9_988.85m, 0m, 0m, -10m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        // Flat: equity = cash = 10,000 − fees 1.15 + realized −10.
        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal((9_988.85m, 1.15m, -10m, 5), (snapshot.Equity, snapshot.FeesPaid, snapshot.RealizedPnl, snapshot.FillCount));
    }

    [Fact]
    public void A_short_opened_from_flat_adds_covers_in_part_and_closes_as_worked_out_by_hand()
    {
        var (ledger, state) = Funded(10_000m);
        var position = () => state.Positions["ETHUSDT"];

        ledger.Apply(Fill(OrderSide.Sell, 3m, 200m, 0.6m, "ETHUSDT"));   // short: cash 10,000 + 600 − 0.6 = 10,599.4; −3 at 200
        Assert.Equal((10_599.4m, -3m, 200m, 0m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        ledger.Apply(Fill(OrderSide.Sell, 1m, 240m, 0.24m, "ETHUSDT"));  // add: cash + 239.76 = 10,839.16; avg (600 + 240) / 4 = 210
        Assert.Equal((10_839.16m, -4m, 210m, 0m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        ledger.Apply(Fill(OrderSide.Buy, 1m, 190m, 0.19m, "ETHUSDT"));   // part cover: cash − 190.19 = 10,648.97; (190 − 210) × 1 × −1 = +20
        Assert.Equal((10_648.97m, -3m, 210m, 20m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl));

        // Marked at 220: unrealized (220 − 210) × −3 = −30; equity 10,648.97 − 3 × 220 = 9,988.97 = 10,000 + 20 − 30 − fees 1.03.
        ledger.Mark("ETHUSDT", 220m);
        var marked = ledger.Snapshot("USDT", At);
        Assert.Equal((9_988.97m, 20m, -30m, 1.03m), (marked.Equity, marked.RealizedPnl, marked.UnrealizedPnl, marked.FeesPaid));
        Assert.Equal(new SymbolExposure("ETHUSDT", -3m, 9_988.97m, 660m), ledger.Exposure("ETHUSDT"));

        ledger.Apply(Fill(OrderSide.Buy, 3m, 205m, 0.615m, "ETHUSDT"));  // cover: cash − 615.615 = 10,033.355; (205 − 210) × 3 × −1 = +15 → 35
        Assert.Equal((10_033.355m, 0m, 0m, 35m, 205m), (state.Cash, position().Quantity, position().AverageCost, position().RealizedPnl, position().LastPrice));

        // Flat: equity = cash = 10,000 + realized 35 − fees 1.645; the flat position stays listed with its realized PnL.
        var closed = ledger.Snapshot("USDT", At);
        Assert.Equal((10_033.355m, 35m, 0m, 1.645m, 4), (closed.Equity, closed.RealizedPnl, closed.UnrealizedPnl, closed.FeesPaid, closed.FillCount));
        Assert.Equal(new Position("ETHUSDT", 0m, 0m, 35m, 205m, 0m), Assert.Single(closed.Positions));
    }

    [Fact]
    public void A_sell_larger_than_a_long_closes_it_and_opens_the_rest_short_at_the_fill_price()
    {
        var (ledger, state) = Funded(10_000m);

        ledger.Apply(Fill(OrderSide.Buy, 1m, 100m, 0m));  // long 1 at 100
        ledger.Apply(Fill(OrderSide.Sell, 3m, 130m, 0m)); // closes 1: (130 − 100) × 1 = 30; opens −2 at 130

        var position = state.Positions["BTCUSDT"];
        Assert.Equal((-2m, 130m, 30m, 130m), (position.Quantity, position.AverageCost, position.RealizedPnl, position.LastPrice));
        // Cash 10,000 − 100 + 390 = 10,290.
        Assert.Equal(10_290m, state.Cash);
    }

    [Fact]
    public void An_average_cost_that_does_not_divide_evenly_is_rounded_and_the_sliver_booked_as_realized()
    {
        var (ledger, state) = Funded(10_000m);

        ledger.Apply(Fill(OrderSide.Buy, 1m, 100m, 0m));
        ledger.Apply(Fill(OrderSide.Buy, 2m, 100.01m, 0m));

        // Cost 100 + 200.02 = 300.02 over 3 = 100.00666…, kept as 100.0066666667; 3 × that = 300.0200000001 is
        // 0.0000000001 more than was paid, booked as realized so the books still balance to the last digit.
        var position = state.Positions["BTCUSDT"];
        Assert.Equal((100.0066666667m, 0.0000000001m), (position.AverageCost, position.RealizedPnl));
        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal(snapshot.Equity - snapshot.InitialCash, snapshot.RealizedPnl + snapshot.UnrealizedPnl - snapshot.FeesPaid);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(-1, 100)]
    [InlineData(1, 0)]
    [InlineData(1, -100)]
    public void A_fill_without_a_positive_quantity_and_price_is_refused_and_changes_nothing(decimal quantity, decimal price)
    {
        var (ledger, state) = Funded(10_000m);
        var broken = new Fill("broken", "c-broken", "BTCUSDT", OrderSide.Buy, quantity, price, 0m, At);

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Apply(broken));

        Assert.Equal((10_000m, 0, 0), (state.Cash, state.FillCount, state.Positions.Count));
        // The id was not remembered: the corrected fill under the same id still applies.
        Assert.True(ledger.Apply(broken with { Quantity = 1m, Price = 100m }));
    }

    [Fact]
    public void Duplicate_fill_is_applied_once()
    {
        var (ledger, state) = Funded();
        var fill = Fill(OrderSide.Buy, 1m, 100m, 0.1m);

        Assert.True(ledger.Apply(fill));
        Assert.False(ledger.Apply(fill));

        Assert.Equal((9_899.9m, 1m, 1, 0.1m), (state.Cash, state.Positions["BTCUSDT"].Quantity, state.FillCount, state.FeesPaid));
    }

    [Fact]
    public void Duplicates_are_recognised_across_a_reload_and_the_memory_is_bounded()
    {
        var (ledger, state) = Funded(1_000_000m);
        var first = Fill(OrderSide.Buy, 1m, 100m, 0m);
        ledger.Apply(first);
        var reloaded = new PortfolioLedger(state);
        Assert.False(reloaded.Apply(first));

        for (var i = 0; i < PortfolioLedger.FillMemory + 10; i++)
        {
            reloaded.Apply(Fill(OrderSide.Buy, 0.001m, 100m, 0m));
        }

        Assert.Equal(PortfolioLedger.FillMemory, state.RecentFillHashes.Count);
    }

    [Fact]
    public void Marks_value_open_positions_and_unrealized_pnl()
    {
        var (ledger, _) = Funded();
        ledger.Apply(Fill(OrderSide.Buy, 2m, 100m, 0m));
        ledger.Apply(Fill(OrderSide.Sell, 3m, 50m, 0m, symbol: "ETHUSDT"));

        ledger.Mark("BTCUSDT", 130m);
        ledger.Mark("ETHUSDT", 40m);
        ledger.Mark("LTCUSDT", 999m); // never traded: ignored

        var snapshot = ledger.Snapshot("USDT", At);
        // Cash 10,000 − 200 + 150 = 9,950; BTC +2 × 130 = 260; ETH −3 × 40 = −120 → equity 10,090.
        // Unrealized: BTC (130 − 100) × 2 = 60; ETH (40 − 50) × −3 = 30.
        Assert.Equal((9_950m, 10_090m, 90m), (snapshot.Cash, snapshot.Equity, snapshot.UnrealizedPnl));
        Assert.Equal(["BTCUSDT", "ETHUSDT"], snapshot.Positions.Select(p => p.Symbol));
        Assert.Equal(260m + 120m, ledger.Exposure("BTCUSDT").GrossExposure);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Cash_and_pnl_reconcile_exactly_with_the_fills_after_a_random_sequence(int seed)
    {
        var (ledger, _) = Funded(1_000_000m);
        var random = new Random(seed);
        var fills = new List<Fill>();
        for (var i = 0; i < 500; i++)
        {
            // Exchange-like precision: prices to the cent, quantities to the lot of 0.00001, fees to 8 places.
            var symbol = random.Next(3) switch { 0 => "BTCUSDT", 1 => "ETHUSDT", _ => "SOLUSDT" };
            var basePrice = symbol switch { "BTCUSDT" => 30_000m, "ETHUSDT" => 2_000m, _ => 30m };
            var price = basePrice + random.Next(-100_000, 100_000) / 100m * basePrice / 10_000m;
            price = decimal.Round(price, 2);
            var quantity = random.Next(1, 200_000) / 100_000m;
            var fill = Fill(random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell, quantity, price,
                decimal.Round(quantity * price * 0.001m, 8), symbol);
            fills.Add(fill);
            Assert.True(ledger.Apply(fill));
            if (random.Next(4) == 0)
            {
                ledger.Mark(symbol, decimal.Round(price * (1 + random.Next(-500, 500) / 10_000m), 2));
            }

            var snapshot = ledger.Snapshot("USDT", At);
            var expectedCash = 1_000_000m
                - fills.Where(f => f.Side == OrderSide.Buy).Sum(f => f.Quantity * f.Price)
                + fills.Where(f => f.Side == OrderSide.Sell).Sum(f => f.Quantity * f.Price)
                - fills.Sum(f => f.Fee);
            Assert.Equal(expectedCash, snapshot.Cash);
            Assert.Equal(snapshot.RealizedPnl + snapshot.UnrealizedPnl - snapshot.FeesPaid, snapshot.Equity - snapshot.InitialCash);
        }
    }

    [Fact]
    public void Funding_happens_once()
    {
        var (ledger, state) = Funded(500m);
        ledger.Fund(1_000m);

        Assert.Equal((500m, 500m), (state.InitialCash, state.Cash));
    }

    [Fact]
    public void A_commission_taken_in_the_base_asset_is_paid_in_units_of_the_position_not_in_cash()
    {
        var (ledger, state) = Funded(100_000m);
        var position = () => state.Positions["BTCUSDT"];
        Fill BaseFee(OrderSide side, decimal quantity, decimal price, decimal feeInBase) =>
            new($"f{++_fills}", $"c{_fills}", "BTCUSDT", side, quantity, price, feeInBase * price, At, feeInBase);

        // Buy 1 at 30,000, 0.001 BTC commission: the account receives 0.999 BTC and pays 30,000 USDT; the fee is worth 30.
        ledger.Apply(BaseFee(OrderSide.Buy, 1m, 30_000m, 0.001m));
        Assert.Equal((70_000m, 0.999m, 30_000m, 30m), (state.Cash, position().Quantity, position().AverageCost, state.FeesPaid));
        Assert.Equal(99_970m, ledger.Equity); // 70,000 + 0.999 × 30,000 = initial − the fee

        // Sell 0.5 at 32,000 with 0.0005 BTC commission: 0.5005 BTC leave the account, 16,000 USDT arrive; the fee is
        // worth 16 and its units count as sold at the fill price: realized (32,000 − 30,000) × 0.5005 = 1,001.
        ledger.Apply(BaseFee(OrderSide.Sell, 0.5m, 32_000m, 0.0005m));
        Assert.Equal((86_000m, 0.4985m, 1_001m, 46m), (state.Cash, position().Quantity, position().RealizedPnl, state.FeesPaid));

        // The accounting identity holds at any mark: equity − initial = realized + unrealized − fees.
        ledger.Mark("BTCUSDT", 31_000m);
        Assert.Equal(ledger.Equity - 100_000m, ledger.RealizedPnl + ledger.UnrealizedPnl - state.FeesPaid);
    }
}
