using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Registers <see cref="SqliteGrainStorage"/> as a named Orleans storage provider.</summary>
public static class SqliteStorageExtensions
{
    /// <summary>Adds SQLite storage under <paramref name="name"/>, serializing state with Orleans' binary serializer.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string name, string databasePath)
    {
        silo.Services.AddGrainStorage(name, (services, key) =>
            new SqliteGrainStorage(key, databasePath, new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>())));
        return silo;
    }

    /// <summary>Adds SQLite storage as the default provider (used by <c>[PersistentState]</c> without a storage name).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder silo, string databasePath) =>
        silo.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, databasePath);
}
