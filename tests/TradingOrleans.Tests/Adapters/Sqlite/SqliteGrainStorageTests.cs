using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Adapters.Sqlite;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private const string StateName = "ledger";
    private static readonly GrainId Grain = GrainId.Create("ledger", "acct-1");
    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private SqliteGrainStorage Storage(TimeProvider? time = null) => new(
        "test",
        new SqliteGrainStorageOptions
        {
            SqlitePath = _database.FilePath,
            GrainStorageSerializer = new OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>()),
        },
        Services.GetRequiredService<IActivatorProvider>(),
        time ?? TimeProvider.System,
        NullLogger<SqliteGrainStorage>.Instance);

    // The collection expressions give the IReadOnlyList members compiler-made types (<>z__ReadOnlyArray), which
    // Orleans' default JSON storage serializer writes but cannot read back; the binary one must.
    private static StorageTestState Sample(decimal cash = 98_765.4321m) => new(
        "acct-1",
        cash,
        [0.00000001m, -12.50m, 79_228_162_514_264_337_593_543_950_335m],
        new Dictionary<string, decimal> { ["BTCUSDT"] = 1.2300m, ["ETHUSDT"] = -0.5m },
        new() { ["BTCUSDT"] = new PositionState { Quantity = -0.12345m, AverageCost = 29_000.5m, RealizedPnl = 12.5m, LastPrice = 29_100m } },
        ["paper", "embedded"],
        new DateTimeOffset(2024, 3, 1, 12, 30, 0, TimeSpan.FromHours(2)));

    private static GrainState<StorageTestState> Written(StorageTestState? state = null, string? etag = null) => new(state ?? Sample(), etag);

    [Fact]
    public async Task A_write_runs_on_the_writer_thread_and_leaves_the_calling_thread_free()
    {
        var storage = Storage();
        await storage.InitializeAsync(CancellationToken.None);
        using var writerBusy = new ManualResetEventSlim();
        var holding = SqliteWriterThread.Run("held", () => new SqliteConnection(), _ => writerBusy.Wait(TimeSpan.FromSeconds(10)));

        // Microsoft.Data.Sqlite would have done the whole write synchronously, on this thread, before returning.
        var write = storage.WriteStateAsync(StateName, Grain, Written());
        Assert.False(write.IsCompleted);

        writerBusy.Set();
        Assert.True(await holding);
        await write;
        var read = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, Grain, read);
        Assert.Equal(Sample().Cash, read.State!.Cash);
    }

    [Fact]
    public async Task A_record_with_collections_and_decimals_round_trips()
    {
        var storage = Storage();
        var written = Written();
        await storage.WriteStateAsync(StateName, Grain, written);

        var read = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, Grain, read);

        Assert.True(written.RecordExists);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var state = Loaded(read);
        Assert.Equal("acct-1", state.Account);
        Assert.Equal(98_765.4321m, state.Cash);
        Assert.Equal(Loaded(written).Marks, state.Marks);
        // Decimal scale survives too: 1.2300 stays 1.2300, which a double or a JSON number round trip could lose.
        Assert.Equal("1.2300", state.Limits["BTCUSDT"].ToString(CultureInfo.InvariantCulture));
        Assert.Equal(-0.5m, state.Limits["ETHUSDT"]);
        var position = state.Positions["BTCUSDT"];
        Assert.Equal((-0.12345m, 29_000.5m, 12.5m, 29_100m), (position.Quantity, position.AverageCost, position.RealizedPnl, position.LastPrice));
        Assert.True(state.Tags.SetEquals(["paper", "embedded"]));
        Assert.Equal(Loaded(written).AsOf, state.AsOf);
        Assert.Equal(Loaded(written).AsOf.Offset, state.AsOf.Offset);
    }

    [Fact]
    public async Task The_services_own_state_types_round_trip()
    {
        var storage = Storage();
        var registry = new StrategyRegistryState { Seeded = true };
        registry.Configs["sma"] = new StrategyConfig("sma", "SmaCross", ["BTCUSDT", "ETHUSDT"], new Dictionary<string, double> { ["fast"] = 5, ["slow"] = 20 }, 0.75, Enabled: false);
        registry.Configs["rsi"] = new StrategyConfig("rsi", "Rsi", ["ETHUSDT"], new Dictionary<string, double>());
        var portfolio = new PortfolioState { InitialCash = 100_000m, Cash = 98_765.4321m, FeesPaid = 1.23456789m, FillCount = 2, Funded = true, RecentFillHashes = [0xDEADBEEFUL, ulong.MaxValue] };
        portfolio.Positions["BTCUSDT"] = new PositionState { Quantity = 0.5m, AverageCost = 30_000m };
        await storage.WriteStateAsync("strategies", GrainId.Create("registry", "0"), new GrainState<StrategyRegistryState>(registry));
        await storage.WriteStateAsync("portfolio", GrainId.Create("portfolio", "0"), new GrainState<PortfolioState>(portfolio));

        var readRegistry = new GrainState<StrategyRegistryState>();
        var readPortfolio = new GrainState<PortfolioState>();
        await storage.ReadStateAsync("strategies", GrainId.Create("registry", "0"), readRegistry);
        await storage.ReadStateAsync("portfolio", GrainId.Create("portfolio", "0"), readPortfolio);

        Assert.True(Loaded(readRegistry).Seeded);
        Assert.True(Loaded(readRegistry).Configs["sma"].HasSameSettings(registry.Configs["sma"]));
        Assert.True(Loaded(readRegistry).Configs["rsi"].HasSameSettings(registry.Configs["rsi"]));
        Assert.Equal(98_765.4321m, Loaded(readPortfolio).Cash);
        Assert.Equal(1.23456789m, Loaded(readPortfolio).FeesPaid);
        Assert.Equal([0xDEADBEEFUL, ulong.MaxValue], Loaded(readPortfolio).RecentFillHashes);
        Assert.Equal(0.5m, Loaded(readPortfolio).Positions["BTCUSDT"].Quantity);
    }

    [Fact]
    public async Task A_missing_row_reads_as_a_fresh_default_state_without_record()
    {
        var state = new GrainState<PortfolioState>(new PortfolioState { Cash = 5m, Funded = true }) { ETag = "123" };

        await Storage().ReadStateAsync("portfolio", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0m, Loaded(state).Cash);
        Assert.False(Loaded(state).Funded);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_names_both_etags()
    {
        var storage = Storage();
        var first = Written();
        await storage.WriteStateAsync(StateName, Grain, first);
        var stale = Written(etag: first.ETag);
        await storage.WriteStateAsync(StateName, Grain, Written(Sample(cash: 1m), first.ETag));
        var stored = await StoredETag();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, Written(Sample(cash: 2m), stale.ETag)));

        Assert.Equal(stored, error.StoredEtag);
        Assert.Equal(stale.ETag, error.CurrentEtag);
        Assert.NotEqual(error.StoredEtag, error.CurrentEtag);
        var read = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, Grain, read);
        Assert.Equal(1m, Loaded(read).Cash);
    }

    [Fact]
    public async Task An_insert_without_etag_over_an_existing_row_is_refused()
    {
        var storage = Storage();
        await storage.WriteStateAsync(StateName, Grain, Written());
        var stored = await StoredETag();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, Written(Sample(cash: 0m))));

        Assert.Equal(stored, error.StoredEtag);
        Assert.Null(error.CurrentEtag);
    }

    [Fact]
    public async Task An_etag_this_storage_never_issued_is_a_conflict()
    {
        var storage = Storage();
        await storage.WriteStateAsync(StateName, Grain, Written());

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, Written(etag: "W/\"abc\"")));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, Written(etag: "-1")));
    }

    [Fact]
    public async Task Clear_respects_the_etag_removes_the_row_and_resets_the_state()
    {
        var storage = Storage();
        var state = Written();
        await storage.WriteStateAsync(StateName, Grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, Written(etag: "99")));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, Written()));
        Assert.NotNull(await StoredETag());

        var portfolio = new GrainState<PortfolioState>(new PortfolioState { Cash = 7m });
        await storage.WriteStateAsync("portfolio", Grain, portfolio);
        await storage.ClearStateAsync("portfolio", Grain, portfolio);

        Assert.False(portfolio.RecordExists);
        Assert.Null(portfolio.ETag);
        Assert.Equal(0m, Loaded(portfolio).Cash);
        var after = new GrainState<PortfolioState>();
        await storage.ReadStateAsync("portfolio", Grain, after);
        Assert.False(after.RecordExists);
        // A clear with no etag and no row has nothing to conflict with.
        await storage.ClearStateAsync("portfolio", Grain, new GrainState<PortfolioState>());
    }

    [Fact]
    public async Task After_a_clear_and_a_new_insert_the_old_etag_no_longer_matches()
    {
        var storage = Storage();
        var stale = Written();
        await storage.WriteStateAsync(StateName, Grain, stale);
        var owner = Written(etag: stale.ETag);
        await storage.ClearStateAsync(StateName, Grain, owner);
        await storage.WriteStateAsync(StateName, Grain, owner);

        // A counter restarting at 1 would let this stale holder overwrite the new row.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, stale));
    }

    [Fact]
    public async Task Of_two_writers_with_the_same_etag_exactly_one_wins()
    {
        var storage = Storage();
        var original = Written();
        await storage.WriteStateAsync(StateName, Grain, original);
        var writers = Enumerable.Range(0, 8).Select(i => Written(Sample(cash: i), original.ETag)).ToList();

        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await Task.Run(() => storage.WriteStateAsync(StateName, Grain, w));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var winner = Assert.Single(writers.Where((_, i) => outcomes[i]));
        var read = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, Grain, read);
        Assert.Equal(Loaded(winner).Cash, Loaded(read).Cash);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task Many_grains_write_concurrently_through_one_storage()
    {
        var storage = Storage();
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("ledger", i.ToString(CultureInfo.InvariantCulture))).ToList();

        await Task.WhenAll(grains.Select((g, i) => Task.Run(() => storage.WriteStateAsync(StateName, g, Written(Sample(cash: i))))));

        for (var i = 0; i < grains.Count; i++)
        {
            var read = new GrainState<StorageTestState>();
            await storage.ReadStateAsync(StateName, grains[i], read);
            Assert.Equal(i, Loaded(read).Cash);
        }
    }

    [Fact]
    public async Task Grains_and_state_names_are_kept_apart()
    {
        var storage = Storage();
        await storage.WriteStateAsync(StateName, Grain, Written());

        var otherGrain = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, GrainId.Create("ledger", "acct-2"), otherGrain);
        var otherType = new GrainState<StorageTestState>();
        await storage.ReadStateAsync(StateName, GrainId.Create("other", "acct-1"), otherType);
        var otherName = new GrainState<StorageTestState>();
        await storage.ReadStateAsync("risk", Grain, otherName);

        Assert.False(otherGrain.RecordExists);
        Assert.False(otherType.RecordExists);
        Assert.False(otherName.RecordExists);
    }

    [Fact]
    public async Task Two_storages_on_one_file_see_each_others_writes_as_after_a_restart()
    {
        var before = Storage();
        var state = Written();
        await before.WriteStateAsync(StateName, Grain, state);
        SqliteConnection.ClearAllPools();

        var after = Storage();
        var read = new GrainState<StorageTestState>();
        await after.ReadStateAsync(StateName, Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(Loaded(state).Cash, Loaded(read).Cash);

        await after.WriteStateAsync(StateName, Grain, Written(Sample(cash: 42m), read.ETag));
        var seenByFirst = new GrainState<StorageTestState>();
        await before.ReadStateAsync(StateName, Grain, seenByFirst);
        Assert.Equal(42m, Loaded(seenByFirst).Cash);
        // The first storage's copy is stale now and must not win.
        await Assert.ThrowsAsync<InconsistentStateException>(() => before.WriteStateAsync(StateName, Grain, state));
    }

    [Fact]
    public async Task Initialising_creates_the_folder_and_a_wal_database_and_can_run_twice()
    {
        var storage = Storage();
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.FilePath)));

        await storage.InitializeAsync(CancellationToken.None);
        await storage.InitializeAsync(CancellationToken.None);

        Assert.True(File.Exists(_database.FilePath));
        Assert.Equal(_database.FilePath, storage.DatabasePath);
        Assert.Equal("wal", await Scalar("PRAGMA journal_mode"));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM grain_state"));
    }

    [Fact]
    public async Task Each_write_stamps_the_modified_time_from_the_injected_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var storage = Storage(time);
        var state = Written();
        await storage.WriteStateAsync(StateName, Grain, state);
        var first = await Scalar("SELECT modified_utc FROM grain_state");
        time.Advance(TimeSpan.FromMinutes(1));
        await storage.WriteStateAsync(StateName, Grain, state);

        Assert.Equal("2025-01-02T03:04:05.0000000+00:00", first);
        Assert.Equal("2025-01-02T03:05:05.0000000+00:00", await Scalar("SELECT modified_utc FROM grain_state"));
    }

    private static T Loaded<T>(GrainState<T> state) => Assert.IsType<T>(state.State);

    private async Task<string?> StoredETag() =>
        Convert.ToString(await Scalar($"SELECT etag FROM grain_state WHERE grain_id = '{Grain}'"), CultureInfo.InvariantCulture);

    private async Task<object?> Scalar(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.FilePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
