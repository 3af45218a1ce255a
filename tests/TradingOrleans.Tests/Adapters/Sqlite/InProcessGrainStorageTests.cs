using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Tests.Adapters.Sqlite;

public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("portfolio", "0");

    private static InProcessGrainStorage Storage() =>
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    [Fact]
    public async Task A_written_record_reads_back_as_a_copy_with_its_collections_and_a_new_etag()
    {
        var storage = Storage();
        var written = new GrainState<EquityPoint[]>([new(new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero), 100m)]);

        await storage.WriteStateAsync("curve", Grain, written);
        written.State![0] = written.State[0] with { Equity = 1m };
        var read = new GrainState<EquityPoint[]>([]);
        await storage.ReadStateAsync("curve", Grain, read);

        Assert.Equal((100m, "1", true), (read.State![0].Equity, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task A_write_or_clear_from_a_stale_etag_is_refused()
    {
        var storage = Storage();
        var first = new GrainState<int>(1);
        var stale = new GrainState<int>(2);
        await storage.WriteStateAsync("n", Grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("n", Grain, stale));
        await storage.ClearStateAsync("n", Grain, first);
        var read = new GrainState<int>(0);
        await storage.ReadStateAsync("n", Grain, read);

        Assert.Equal((0, false, null), (read.State, read.RecordExists, first.ETag));
    }
}
