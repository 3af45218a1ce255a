using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Portfolio;

/// <summary>
/// The shadow books are the portfolio grain's own state, saved on a timer: never in the account's state, which every
/// fill writes while the order waits.
/// </summary>
public sealed class ShadowBookStorageTests
{
    private static readonly DateTimeOffset T = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static Candle Bar(DateTimeOffset open, decimal price) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), open, price, price, price, price, 1m, open.AddMinutes(5));

    private static (IPortfolioGrain Grain, GrainId Id, IGrainStorage Storage) Portfolio(TradingTestCluster cluster)
    {
        var grain = cluster.Client.GetGrain<IPortfolioGrain>(0);
        var storage = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>("Default");
        return (grain, grain.GetGrainId(), storage);
    }

    private static async Task<T> Read<T>(IGrainStorage storage, string name, GrainId id) where T : new()
    {
        var state = new GrainState<T>(new T());
        await storage.ReadStateAsync(name, id, state);
        return state.State!;
    }

    [Fact]
    public async Task The_books_are_saved_by_their_timer_apart_from_the_account()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings["Trading:Portfolio:ShadowSaveInterval"] = "00:00:01";
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        var (portfolio, id, storage) = Portfolio(cluster);

        // Strategy "a" goes long at a later open (after the paper venue's latency); one-way messages may arrive in any
        // order, so bars go on until the book has traded.
        await portfolio.MarkBar(Bar(T, 100m));
        await portfolio.OnTarget(new ShadowTarget(new CombinedSignal("BTCUSDT", 1, SignalDirection.Long, 1, [new("a", SignalDirection.Long, 1, 1)], 100m,
            T.AddMinutes(5), T.AddMinutes(5)), 0.2m));
        var bars = 0;
        await Eventually.Returns(async () =>
        {
            await portfolio.MarkBar(Bar(T.AddMinutes(5 * ++bars), 100m + bars));
            return await portfolio.GetAttribution();
        }, report => report.Books.Any(b => b.Trades == 1), TimeSpan.FromSeconds(10), "strategy a's trade");

        // The books read back from storage (a ledger over the saved state) come to be the ones the grain reports.
        await Eventually.Returns(async () => (
                Saved: new ShadowLedger(await Read<ShadowLedgerState>(storage, "shadow", id), new ShadowTerms(100_000m, 0m, 0m, 0)).Books(),
                Reported: (await portfolio.GetAttribution()).Books),
            books => books.Saved.Count == 1 && books.Saved.SequenceEqual(books.Reported), TimeSpan.FromSeconds(10), "the shadow books saved by their timer");
        Assert.Null((await Read<PortfolioState>(storage, "portfolio", id)).Shadow);
    }

    [Fact]
    public async Task Books_saved_in_the_account_before_the_move_are_moved_to_their_own_state_at_activation()
    {
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.For(TestSettings.NewDatabasePath(), replay: false));
        var (portfolio, id, storage) = Portfolio(cluster);
        var old = new PortfolioState { InitialCash = 100_000m, Cash = 100_000m, Funded = true, Shadow = new ShadowLedgerState() };
        old.Shadow.Books["a"] = new ShadowBookState { Cash = 12.5m, Fees = 0.5m, Trades = 3 };
        await storage.WriteStateAsync("portfolio", id, new GrainState<PortfolioState>(old));

        Assert.Equal([new ShadowBook("a", 12.5m, 0.5m, 3)], (await portfolio.GetAttribution()).Books);
        Assert.Equal(12.5m, (await Read<ShadowLedgerState>(storage, "shadow", id)).Books["a"].Cash);
        var account = await Read<PortfolioState>(storage, "portfolio", id);
        Assert.Null(account.Shadow);
        Assert.Equal(100_000m, account.Cash);
    }
}
