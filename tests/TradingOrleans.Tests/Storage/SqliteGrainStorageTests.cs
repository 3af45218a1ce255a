using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Storage;

public sealed class SqliteGrainStorageTests
{
    private static readonly GrainId Portfolio = GrainId.Create("portfolio", "0");
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static SqliteGrainStorage Storage(string path) => new("Default", path, new OrleansGrainStorageSerializer(Serializer));

    private static PortfolioState SampleState()
    {
        var state = new PortfolioState { InitialCash = 100_000m, Cash = 98_765.4321m, FeesPaid = 1.23456789m, FillCount = 2, Funded = true };
        state.Positions["BTCUSDT"] = new PositionState { Quantity = -0.12345m, AverageCost = 29_000.5m, RealizedPnl = 12.5m, LastPrice = 29_100m };
        state.RecentFillHashes.Add(0xDEADBEEFUL);
        state.RecentFillHashes.Add(ulong.MaxValue);
        return state;
    }

    [Fact]
    public async Task State_with_collections_and_decimals_round_trips_and_survives_a_new_storage_instance()
    {
        var path = TestSettings.NewDatabasePath();
        var written = new GrainState<PortfolioState>(SampleState());
        await Storage(path).WriteStateAsync("portfolio", Portfolio, written);

        // A second instance on the same file is what a restarted process sees.
        var read = new GrainState<PortfolioState>(new PortfolioState());
        await Storage(path).ReadStateAsync("portfolio", Portfolio, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var loaded = Assert.IsType<PortfolioState>(read.State);
        Assert.Equal(98_765.4321m, loaded.Cash);
        Assert.Equal(1.23456789m, loaded.FeesPaid);
        var position = loaded.Positions["BTCUSDT"];
        Assert.Equal((-0.12345m, 29_000.5m, 12.5m, 29_100m), (position.Quantity, position.AverageCost, position.RealizedPnl, position.LastPrice));
        Assert.Equal([0xDEADBEEFUL, ulong.MaxValue], loaded.RecentFillHashes);
    }

    [Fact]
    public async Task Missing_row_reads_as_a_default_state_without_record()
    {
        var state = new GrainState<PortfolioState>();

        await Storage(TestSettings.NewDatabasePath()).ReadStateAsync("portfolio", Portfolio, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.False(Assert.IsType<PortfolioState>(state.State).Funded);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_is_refused()
    {
        var storage = Storage(TestSettings.NewDatabasePath());
        var first = new GrainState<PortfolioState>(SampleState());
        await storage.WriteStateAsync("portfolio", Portfolio, first);
        var stale = new GrainState<PortfolioState>(SampleState()) { ETag = first.ETag };
        await storage.WriteStateAsync("portfolio", Portfolio, first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("portfolio", Portfolio, stale));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("1", error.CurrentEtag);
    }

    [Fact]
    public async Task Insert_without_etag_over_an_existing_row_is_refused()
    {
        var storage = Storage(TestSettings.NewDatabasePath());
        await storage.WriteStateAsync("portfolio", Portfolio, new GrainState<PortfolioState>(SampleState()));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("portfolio", Portfolio, new GrainState<PortfolioState>(SampleState())));
    }

    [Fact]
    public async Task Clear_respects_the_etag_and_removes_the_row()
    {
        var storage = Storage(TestSettings.NewDatabasePath());
        var state = new GrainState<PortfolioState>(SampleState());
        await storage.WriteStateAsync("portfolio", Portfolio, state);
        var stale = new GrainState<PortfolioState>(SampleState()) { ETag = "99" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("portfolio", Portfolio, stale));
        await storage.ClearStateAsync("portfolio", Portfolio, state);
        var after = new GrainState<PortfolioState>();
        await storage.ReadStateAsync("portfolio", Portfolio, after);

        Assert.False(state.RecordExists);
        Assert.False(after.RecordExists);
    }

    [Fact]
    public async Task Different_grains_and_state_names_are_kept_apart()
    {
        var storage = Storage(TestSettings.NewDatabasePath());
        await storage.WriteStateAsync("portfolio", Portfolio, new GrainState<PortfolioState>(SampleState()));

        var otherGrain = new GrainState<PortfolioState>();
        await storage.ReadStateAsync("portfolio", GrainId.Create("portfolio", "1"), otherGrain);
        var otherName = new GrainState<PortfolioState>();
        await storage.ReadStateAsync("risk", Portfolio, otherName);

        Assert.False(otherGrain.RecordExists);
        Assert.False(otherName.RecordExists);
    }
}
