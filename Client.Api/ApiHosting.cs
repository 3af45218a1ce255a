using StackExchange.Redis;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Client.Api;

/// <summary>How the API reaches the grains: a co-hosted silo (embedded) or a client of the cluster's silos.</summary>
public static class ApiHosting
{
    /// <summary>Cluster mode: an Orleans client that finds the silos' gateways through the cluster's Redis.</summary>
    public static IClientBuilder AddTradingClient(this IClientBuilder client, IConfiguration configuration)
    {
        var silo = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var cluster = configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        RememberedGrainInterfaceTypes.AddTo(client.Services);
        client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis));
        client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (silo.ClusterId, silo.ServiceId));
        return client;
    }
}
