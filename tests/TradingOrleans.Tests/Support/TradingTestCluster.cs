using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Support;

/// <summary>An in-process Orleans cluster running the full trading silo configuration.</summary>
public sealed class TradingTestCluster : IAsyncDisposable
{
    private TradingTestCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>The replay feed of the first silo; its Completion ends when the last bar was processed.</summary>
    public ReplayService Replay => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<ReplayService>();

    /// <param name="services">Replaces silo services after the trading ones are added (fault injection).</param>
    public static async Task<TradingTestCluster> StartAsync(IReadOnlyDictionary<string, string?> settings, short silos = 1, Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTradingGrains(configuration);
            services?.Invoke(silo.Services);
        });
        if (Environment.GetEnvironmentVariable("TRADING_TEST_LOGS") is { Length: > 0 } level)
        {
            // Debugging aid: TRADING_TEST_LOGS=Debug dotnet test … prints the silos' logs.
            builder.ConfigureSiloHost((_, host) => host.Logging.AddConsole().SetMinimumLevel(Enum.Parse<LogLevel>(level)));
        }
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TradingTestCluster(cluster);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
