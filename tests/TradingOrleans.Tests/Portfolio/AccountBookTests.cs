using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

/// <summary>
/// The account's balances from a read and the user-data stream, which arrive in no set order: each is taken only if it
/// is not older than what is held, and drift is measured against the portfolio, adopted only when it persists.
/// </summary>
public sealed class AccountBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static AccountSnapshot Read(DateTimeOffset updatedAt, params AssetBalance[] balances) => new(balances, 0.001m, updatedAt);

    [Fact]
    public void A_read_answered_after_newer_stream_events_does_not_roll_them_back()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 10_000m, 0m), new AssetBalance("BTC", 0.5m, 0m)));

        // A buy at T0 + 2 s moves both assets; a read taken at T0 + 1 s (sent before the buy) is answered after it.
        Assert.True(book.Take(new AccountPositionUpdate([new("USDT", 7_000m, 0m), new("BTC", 0.6m, 0m)], T0.AddSeconds(2))));
        book.Take(Read(T0.AddSeconds(1), new AssetBalance("USDT", 10_000m, 0m), new AssetBalance("BTC", 0.5m, 0m)));

        Assert.Equal((7_000m, 0.6m, T0.AddSeconds(2)), (book.Total("USDT"), book.Total("BTC"), book.UpdatedAt));
    }

    [Fact]
    public void A_transfer_applies_only_if_the_balance_held_was_set_before_it_cleared()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 10_000m, 0m)));

        // balanceUpdate then its outboundAccountPosition: the delta applies, the absolute figure agrees.
        Assert.True(book.Take(new BalanceTransfer("USDT", 500m, T0.AddSeconds(1))));
        Assert.Equal(10_500m, book.Free("USDT"));
        book.Take(new AccountPositionUpdate([new("USDT", 10_500m, 0m)], T0.AddSeconds(1)));
        Assert.Equal(10_500m, book.Free("USDT"));

        // The other order: the absolute figure (with the deposit in it) first, then the delta, which must not count twice.
        book.Take(new AccountPositionUpdate([new("USDT", 10_700m, 0m)], T0.AddSeconds(3)));
        Assert.False(book.Take(new BalanceTransfer("USDT", 200m, T0.AddSeconds(3))));
        Assert.Equal(10_700m, book.Free("USDT"));
    }

    [Fact]
    public void A_read_zeroes_an_asset_it_no_longer_lists_and_locked_counts_in_the_total_not_in_the_free()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 10_000m, 0m), new AssetBalance("BNB", 1m, 0m)));

        // All BNB spent on fees (omitZeroBalances leaves it out); a resting buy locks 3,000 USDT.
        book.Take(Read(T0.AddMinutes(1), new AssetBalance("USDT", 7_000m, 3_000m)));

        Assert.Equal((0m, 7_000m, 10_000m), (book.Total("BNB"), book.Free("USDT"), book.Total("USDT")));
        Assert.Equal([new AssetBalance("USDT", 7_000m, 3_000m)], book.Balances);
    }

    [Fact]
    public void Holdings_are_the_quote_balance_and_the_traded_symbols_base_balances()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 9_000m, 1_000m), new AssetBalance("BTC", 0.5m, 0.1m), new AssetBalance("ETH", 2m, 0m)));

        var holdings = book.Holdings("USDT", ["BTCUSDT", "LTCUSDT"]);

        Assert.Equal(10_000m, holdings.Cash);
        Assert.Equal(new Dictionary<string, decimal> { ["BTCUSDT"] = 0.6m }, holdings.Positions); // ETH is not traded, LTC not held
    }

    private static PortfolioSnapshot Portfolio(decimal cash, decimal btc, decimal price) =>
        new("USDT", cash, cash, cash + btc * price, 0, 0, 0, 0, [new Position("BTCUSDT", btc, price, 0, price, 0)], T0);

    [Fact]
    public void Drift_is_measured_per_asset_in_units_and_as_a_share_of_equity_against_the_tolerance()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 10_000m, 0m), new AssetBalance("BTC", 0.5m, 0m)));

        // The portfolio thinks 10,020 USDT and 0.49 BTC (at 30,000: equity 24,720).
        var drifts = AccountDrift.Measure(book, Portfolio(10_020m, 0.49m, 30_000m), ["BTCUSDT"], tolerance: 0.001m);

        var usdt = drifts.Single(d => d.Asset == "USDT");
        Assert.Equal((10_000m, 10_020m, -20m, -20m, false), (usdt.Account, usdt.Portfolio, usdt.Drift, usdt.Value, usdt.OverTolerance));
        Assert.Equal(20m / 24_720m, usdt.FractionOfEquity); // 0.08 %: within 0.1 %
        var btc = drifts.Single(d => d.Asset == "BTC");
        Assert.Equal(("BTCUSDT", 0.01m, 300m, true), (btc.Symbol, btc.Drift, btc.Value, btc.OverTolerance)); // 1.2 % of equity
    }

    [Fact]
    public void Only_drift_seen_twice_in_a_row_by_about_the_same_amount_persists()
    {
        var book = new AccountBook();
        book.Take(Read(T0, new AssetBalance("USDT", 10_000m, 0m), new AssetBalance("BTC", 0.5m, 0m)));
        var drifted = AccountDrift.Measure(book, Portfolio(9_000m, 0.5m, 30_000m), ["BTCUSDT"], 0.001m);

        // First seen: nothing persists yet.
        Assert.Empty(AccountDrift.Persisting(drifted, before: null, 0.001m, 24_000m));

        // Seen again, 10 USDT more (fees paid elsewhere since: within 0.1 % of 24,000): it persists.
        var again = AccountDrift.Measure(book, Portfolio(8_990m, 0.5m, 30_000m), ["BTCUSDT"], 0.001m);
        Assert.Equal(["USDT"], AccountDrift.Persisting(again, drifted, 0.001m, 24_000m).Select(d => d.Asset));

        // A fill on its way makes a different drift each time (here 2,000 more): not the same, not adopted.
        var moving = AccountDrift.Measure(book, Portfolio(7_000m, 0.5m, 30_000m), ["BTCUSDT"], 0.001m);
        Assert.Empty(AccountDrift.Persisting(moving, drifted, 0.001m, 24_000m));

        // Once adopted, a drift must be seen twice again.
        Assert.Empty(AccountDrift.Persisting(again, [.. drifted.Select(d => d with { Adopted = true })], 0.001m, 24_000m));
    }
}
