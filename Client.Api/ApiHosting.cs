using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Client.Api;

/// <summary>How the API reaches the grains: a co-hosted silo (embedded) or a client of a running cluster.</summary>
public static class ApiHosting
{
    public const string ModeSetting = "Trading:Mode";
    public const string EmbeddedMode = "Embedded";
    public const string ClusterMode = "Cluster";

    /// <summary>Cluster mode: an Orleans client of the silos' gateway on this machine.</summary>
    public static IClientBuilder AddTradingClient(this IClientBuilder client, IConfiguration configuration)
    {
        var silo = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        client.UseLocalhostClustering(silo.GatewayPort, silo.ServiceId, silo.ClusterId);
        return client;
    }
}
