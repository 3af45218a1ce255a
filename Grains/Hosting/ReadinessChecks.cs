using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Providers;
using Orleans.Storage;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Hosting;

/// <summary>Ready when a grain call round-trips: the silo (or, for a client, the cluster) takes work.</summary>
public sealed class GrainCallHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var configs = await grains.GetGrain<IStrategyRegistryGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"{configs.Count} strategy configs");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("grain calls fail", exception);
        }
    }
}

/// <summary>Ready when the default grain storage answers a read.</summary>
public sealed class GrainStorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly GrainId Probe = GrainId.Create("health", "probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var storage = services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            await storage.ReadStateAsync("health", Probe, new GrainState<object>()).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("grain storage fails", exception);
        }
    }
}

/// <summary>
/// Health endpoints: <c>/health/live</c> (the process answers), <c>/health/ready</c> (it can trade), and <c>/health</c>:
/// readiness as JSON, each check with its description and data (the trading mode among them).
/// </summary>
public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>Readiness checks; <paramref name="hostsSilo"/> adds the storage check where grain state lives in this process.</summary>
    public static IHealthChecksBuilder AddTradingHealthChecks(this IServiceCollection services, bool hostsSilo)
    {
        var checks = services.AddHealthChecks().AddCheck<GrainCallHealthCheck>("grain-calls", tags: [ReadyTag]);
        return hostsSilo ? checks.AddCheck<GrainStorageHealthCheck>("grain-storage", tags: [ReadyTag]) : checks;
    }

    public static void MapTradingHealth(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) });
        endpoints.MapHealthChecks("/health", new() { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReport });
    }

    // Exceptions stay out: the endpoint answers without a key.
    private static Task WriteReport(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description, data = entry.Value.Data }),
        });
}
