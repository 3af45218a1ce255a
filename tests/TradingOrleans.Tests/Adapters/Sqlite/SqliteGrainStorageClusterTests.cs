using Microsoft.Data.Sqlite;
using Orleans.TestingHost;
using TradingOrleans.Grains.Adapters.Sqlite;

namespace TradingOrleans.Tests.Adapters.Sqlite;

public sealed class SqliteGrainStorageClusterTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddSqliteGrainStorageAsDefault(o => o.SqlitePath = _database.FilePath));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task StopAsync(InProcessTestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task State_a_grain_wrote_is_read_back_by_a_new_cluster_on_the_same_file()
    {
        var first = await StartClusterAsync();
        try
        {
            // The schema is made at silo start, before any grain asks for state.
            Assert.True(File.Exists(_database.FilePath));
            var counter = first.Client.GetGrain<ICounterGrain>("orders");
            await counter.Add(1.5m);
            await counter.Add(0.00000001m);
        }
        finally
        {
            await StopAsync(first);
        }

        var second = await StartClusterAsync();
        try
        {
            var counter = second.Client.GetGrain<ICounterGrain>("orders");
            var restored = await counter.Get();
            Assert.Equal(2, restored.Count);
            Assert.Equal(1.50000001m, restored.Total);
            Assert.Equal(["1.5", "0.00000001"], restored.History);

            // The new activation holds the stored ETag, so it can write on; and it can clear.
            Assert.Equal(3, (await counter.Add(1m)).Count);
            Assert.Equal(1, await Rows());
            await counter.Reset();
            Assert.Equal(0, (await counter.Get()).Count);
            Assert.Equal(0, await Rows());
        }
        finally
        {
            await StopAsync(second);
        }
    }

    private async Task<long> Rows()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state WHERE state_name = 'counter'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
