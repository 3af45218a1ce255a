using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Sqlite;

public sealed class SqliteGrainStorageRegistrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static ServiceProvider Build(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection().AddLogging().AddSerializer();
        register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_named_provider_is_a_keyed_storage_in_the_silo_lifecycle_with_the_binary_serializer()
    {
        using var services = Build(s => s.AddSqliteGrainStorage("archive", o => o.SqlitePath = _database.FilePath));

        var storage = Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("archive"));
        Assert.Equal(_database.FilePath, storage.DatabasePath);
        Assert.Contains(storage, services.GetServices<ILifecycleParticipant<ISiloLifecycle>>());
        Assert.IsType<OrleansGrainStorageSerializer>(services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get("archive").GrainStorageSerializer);
        Assert.Null(services.GetService<IGrainStorage>());
    }

    [Fact]
    public void The_default_provider_is_also_the_unkeyed_storage()
    {
        using var services = Build(s => s.AddSqliteGrainStorageAsDefault(o => o.SqlitePath = _database.FilePath));

        var storage = services.GetRequiredKeyedService<IGrainStorage>("Default");
        Assert.Same(storage, services.GetRequiredService<IGrainStorage>());
    }

    [Fact]
    public void A_serializer_registered_under_the_providers_name_or_set_in_the_options_is_used()
    {
        var keyed = new OrleansGrainStorageSerializer(Build(_ => { }).GetRequiredService<Serializer>());
        var configured = new OrleansGrainStorageSerializer(Build(_ => { }).GetRequiredService<Serializer>());
        using var services = Build(s => s
            .AddKeyedSingleton<IGrainStorageSerializer>("a", keyed)
            .AddSqliteGrainStorage("a", o => o.SqlitePath = _database.FilePath)
            .AddSqliteGrainStorage("b", o => (o.SqlitePath, o.GrainStorageSerializer) = (_database.FilePath, configured)));

        var options = services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>();
        Assert.Same(keyed, options.Get("a").GrainStorageSerializer);
        Assert.Same(configured, options.Get("b").GrainStorageSerializer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_path_is_refused_naming_the_setting(string path)
    {
        using var services = Build(s => s.AddSqliteGrainStorageAsDefault(o => o.SqlitePath = path));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IGrainStorage>("Default"));

        Assert.Contains("Trading:Storage:SqlitePath", error.Message);
        Assert.Contains("'Default'", error.Message);
    }

    [Fact]
    public void A_busy_timeout_out_of_range_is_refused_naming_the_setting()
    {
        using var services = Build(s => s.AddSqliteGrainStorageAsDefault(o => (o.SqlitePath, o.BusyTimeout) = (_database.FilePath, TimeSpan.Zero)));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get("Default"));

        Assert.Contains("Trading:Storage:BusyTimeout", error.Message);
    }

    [Fact]
    public async Task A_silo_without_a_database_path_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(TestSettings.FreePort(), TestSettings.FreePort())
            .AddSqliteGrainStorageAsDefault(_ => { }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Trading:Storage:SqlitePath: required", error.Message);
    }

    [Fact]
    public async Task The_trading_silo_reads_the_path_from_Trading_Storage_SqlitePath_and_refuses_an_empty_one()
    {
        var settings = TestSettings.For(_database.FilePath, replay: false);
        settings["Trading:Storage:SqlitePath"] = "";

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await TradingTestCluster.StartAsync(settings));

        Assert.Contains("Trading:Storage:SqlitePath: required", error.ToString());
    }
}
