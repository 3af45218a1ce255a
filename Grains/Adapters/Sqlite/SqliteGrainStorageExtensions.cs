using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Registers <see cref="SqliteGrainStorage"/> as a named Orleans grain storage provider.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>Adds SQLite grain storage as the default provider (what <c>[PersistentState]</c> without a storage name uses).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds SQLite grain storage under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSqliteGrainStorage(name, configure);
        return builder;
    }

    /// <summary>Adds SQLite grain storage as the default provider.</summary>
    public static IServiceCollection AddSqliteGrainStorageAsDefault(this IServiceCollection services, Action<SqliteGrainStorageOptions> configure) =>
        services.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>
    /// Adds SQLite grain storage under <paramref name="name"/>: its options are validated when the host starts, logged
    /// with the silo's other options, and the provider creates its schema at silo start.
    /// </summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SqliteGrainStorageOptions>>(new SqliteGrainStorageOptionsValidator(name));
        services.AddSingleton<IPostConfigureOptions<SqliteGrainStorageOptions>>(sp => new PostConfigureOptions<SqliteGrainStorageOptions>(name, options =>
        {
            // Orleans' own configurator would fall back to the silo-wide JSON serializer; ours falls back to the binary one.
            options.GrainStorageSerializer ??= sp.GetKeyedService<IGrainStorageSerializer>(name)
                ?? new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>());
        }));
        services.ConfigureNamedOptionForLogging<SqliteGrainStorageOptions>(name);

        // The factory's declared type is what AddGrainStorage checks to enlist the provider in the silo lifecycle.
        return services.AddGrainStorage(name, static (sp, key) => new SqliteGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
    }
}
