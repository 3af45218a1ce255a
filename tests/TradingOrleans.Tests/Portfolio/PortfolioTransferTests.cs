using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

/// <summary>
/// A book funded from a venue account, and what moves it without trading (deposits, withdrawals, adopted drift): the
/// value brought in counts as net transfers, never as profit, so equity − initial cash − net transfers stays the PnL.
/// </summary>
public sealed class PortfolioTransferTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, decimal> NoMarks = new Dictionary<string, decimal>();

    private static Fill Buy(string id, decimal quantity, decimal price, decimal fee = 0m) =>
        new(id, $"c-{id}", "BTCUSDT", OrderSide.Buy, quantity, price, fee, At);

    private static (PortfolioLedger Ledger, PortfolioState State) FundedFromAccount(decimal cash, decimal btc, IReadOnlyDictionary<string, decimal>? marks = null)
    {
        var state = new PortfolioState();
        var ledger = new PortfolioLedger(state);
        var positions = btc == 0 ? new Dictionary<string, decimal>() : new Dictionary<string, decimal> { ["BTCUSDT"] = btc };
        Assert.True(ledger.FundFromAccount(new AccountHoldings(cash, positions), marks ?? NoMarks));
        return (ledger, state);
    }

    private static void AssertBooksBalance(PortfolioSnapshot snapshot) =>
        Assert.Equal(snapshot.Equity - snapshot.InitialCash - snapshot.NetTransfers, snapshot.RealizedPnl + snapshot.UnrealizedPnl - snapshot.FeesPaid);

    [Fact]
    public void A_holding_found_in_the_account_is_held_unvalued_until_its_first_price_which_becomes_its_cost()
    {
        var (ledger, state) = FundedFromAccount(10_000m, 0.5m);

        // Held, but with no price it is worth nothing yet, and brought in nothing.
        var found = ledger.Snapshot("USDT", At);
        Assert.Equal((10_000m, 10_000m, 10_000m, 0m), (found.InitialCash, found.Cash, found.Equity, found.NetTransfers));
        Assert.Equal((0.5m, 0m, 0.5m), (state.Positions["BTCUSDT"].Quantity, state.Positions["BTCUSDT"].AverageCost, state.Positions["BTCUSDT"].UnpricedQuantity));
        Assert.Equal(0.5m, ledger.Exposure("BTCUSDT").PositionQuantity);

        // The first mark values it: 0.5 × 30,000 = 15,000 brought in, at a cost of 30,000, so no PnL.
        ledger.Mark("BTCUSDT", 30_000m);
        var priced = ledger.Snapshot("USDT", At);
        Assert.Equal((25_000m, 15_000m, 0m, 0m), (priced.Equity, priced.NetTransfers, priced.UnrealizedPnl, priced.RealizedPnl));
        Assert.Equal((30_000m, 0m), (state.Positions["BTCUSDT"].AverageCost, state.Positions["BTCUSDT"].UnpricedQuantity));

        // From there it moves like any position: at 31,000 it has made 500.
        ledger.Mark("BTCUSDT", 31_000m);
        var later = ledger.Snapshot("USDT", At);
        Assert.Equal((25_500m, 15_000m, 500m), (later.Equity, later.NetTransfers, later.UnrealizedPnl));
        AssertBooksBalance(later);
    }

    [Fact]
    public void A_holding_found_while_its_symbol_has_a_mark_is_valued_there_at_once()
    {
        var (ledger, state) = FundedFromAccount(10_000m, 0.5m, new Dictionary<string, decimal> { ["BTCUSDT"] = 29_000m });

        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal((24_500m, 14_500m), (snapshot.Equity, snapshot.NetTransfers));
        Assert.Equal((29_000m, 0m), (state.Positions["BTCUSDT"].AverageCost, state.Positions["BTCUSDT"].UnpricedQuantity));
        AssertBooksBalance(snapshot);
    }

    [Fact]
    public void A_fill_before_the_first_mark_prices_the_found_units_at_the_fill_price_first()
    {
        var (ledger, state) = FundedFromAccount(10_000m, 0.5m);

        // Buy 0.1 at 30,000 (fee 3): the 0.5 found are valued at 30,000 first (15,000 brought in), then the buy adds to them.
        ledger.Apply(Buy("f1", 0.1m, 30_000m, 3m));

        var position = state.Positions["BTCUSDT"];
        Assert.Equal((0.6m, 30_000m, 0m), (position.Quantity, position.AverageCost, position.UnpricedQuantity));
        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal((6_997m, 15_000m, 24_997m), (snapshot.Cash, snapshot.NetTransfers, snapshot.Equity));
        AssertBooksBalance(snapshot);
    }

    [Fact]
    public void A_deposit_and_a_withdrawal_of_cash_move_cash_and_net_transfers_but_not_pnl_each_once()
    {
        var (ledger, state) = FundedFromAccount(10_000m, 0m);
        var deposit = new HoldingTransfer("transfer-USDT-1-500", null, 500m);

        Assert.True(ledger.Transfer(deposit));
        Assert.False(ledger.Transfer(deposit)); // the same balanceUpdate reported twice (one stream per silo)
        Assert.True(ledger.Transfer(new HoldingTransfer("transfer-USDT-2--200", null, -200m)));

        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal((10_300m, 300m, 10_300m), (state.Cash, snapshot.NetTransfers, snapshot.Equity));
        Assert.Equal(0m, snapshot.Equity - snapshot.InitialCash - snapshot.NetTransfers);
    }

    [Fact]
    public void A_deposit_of_the_base_asset_averages_in_at_the_mark_and_a_withdrawal_realizes_against_the_average_cost()
    {
        var (ledger, state) = FundedFromAccount(10_000m, 0m);
        ledger.Apply(Buy("f1", 0.2m, 30_000m));                    // 0.2 at 30,000; cash 4,000
        ledger.Mark("BTCUSDT", 33_000m);

        // 0.1 deposited at the mark 33,000: (0.2 × 30,000 + 0.1 × 33,000) / 0.3 = 31,000; 3,300 brought in.
        ledger.Transfer(new HoldingTransfer("transfer-BTC-1", "BTCUSDT", 0.1m));
        var position = state.Positions["BTCUSDT"];
        Assert.Equal((0.3m, 31_000m, 3_300m), (position.Quantity, position.AverageCost, state.NetTransfers));

        // 0.15 withdrawn at the mark 35,000: it leaves at 35,000 (5,250 taken out) and realizes (35,000 − 31,000) × 0.15 = 600.
        ledger.Mark("BTCUSDT", 35_000m);
        ledger.Transfer(new HoldingTransfer("transfer-BTC-2", "BTCUSDT", -0.15m));
        Assert.Equal((0.15m, 31_000m, 600m), (position.Quantity, position.AverageCost, position.RealizedPnl));
        var snapshot = ledger.Snapshot("USDT", At);
        Assert.Equal((4_000m + 0.15m * 35_000m, -1_950m), (snapshot.Equity, snapshot.NetTransfers));
        // Made: 0.2 bought at 30,000 now at 35,000 (1,000) and 0.1 deposited at 33,000 now at 35,000 (200).
        Assert.Equal(1_200m, snapshot.RealizedPnl + snapshot.UnrealizedPnl);
        AssertBooksBalance(snapshot);
    }

    [Fact]
    public void A_book_funded_in_paper_is_replaced_by_the_account_once_and_a_book_funded_from_it_is_kept()
    {
        var state = new PortfolioState();
        var ledger = new PortfolioLedger(state);
        ledger.Fund(100_000m);
        ledger.Apply(Buy("paper-1", 1m, 30_000m, 30m));

        Assert.True(ledger.FundFromAccount(new AccountHoldings(2_500m, new Dictionary<string, decimal> { ["BTCUSDT"] = 0.05m }), NoMarks));
        var account = ledger.Snapshot("USDT", At);
        Assert.Equal((2_500m, 2_500m, 0m, 0), (account.InitialCash, account.Cash, account.FeesPaid, account.FillCount));
        Assert.Equal(0.05m, Assert.Single(account.Positions).Quantity);
        Assert.Equal(PortfolioFunding.Account, state.Funding);

        ledger.Apply(Buy("live-1", 0.01m, 30_000m));
        Assert.False(ledger.FundFromAccount(new AccountHoldings(1m, new Dictionary<string, decimal>()), NoMarks));
        Assert.Equal((2_200m, 0.06m), (state.Cash, state.Positions["BTCUSDT"].Quantity));
    }
}
