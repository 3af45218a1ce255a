using TradingOrleans.Grains.Interfaces.Execution;
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

    [Fact]
    public void Cash_and_equity_reconcile_with_the_fills_after_a_random_sequence()
    {
        var (ledger, _) = Funded(1_000_000m);
        var random = new Random(11);
        var fills = new List<Fill>();
        for (var i = 0; i < 500; i++)
        {
            var price = Math.Round(100m + random.Next(-2000, 2000) / 100m, 2);
            var fill = Fill(random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell, random.Next(1, 500) / 100m, price,
                Math.Round(price / 1000m, 8), symbol: random.Next(2) == 0 ? "BTCUSDT" : "ETHUSDT");
            fills.Add(fill);
            ledger.Apply(fill);
        }

        var snapshot = ledger.Snapshot("USDT", At);
        var expectedCash = 1_000_000m
            - fills.Where(f => f.Side == OrderSide.Buy).Sum(f => f.Quantity * f.Price)
            + fills.Where(f => f.Side == OrderSide.Sell).Sum(f => f.Quantity * f.Price)
            - fills.Sum(f => f.Fee);
        Assert.Equal(expectedCash, snapshot.Cash);
        // Average costs are rounded to 10 places, so PnL reconciles to well under a cent.
        var pnl = snapshot.RealizedPnl + snapshot.UnrealizedPnl - snapshot.FeesPaid;
        Assert.True(Math.Abs(snapshot.Equity - 1_000_000m - pnl) < 0.000001m, $"{snapshot.Equity - 1_000_000m} vs {pnl}");
    }

    [Fact]
    public void Funding_happens_once()
    {
        var (ledger, state) = Funded(500m);
        ledger.Fund(1_000m);

        Assert.Equal((500m, 500m), (state.InitialCash, state.Cash));
    }
}
