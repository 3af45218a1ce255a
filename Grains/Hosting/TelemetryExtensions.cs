using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Hosting;

/// <summary>Metrics for both hosts: our meter, Orleans', the .NET runtime's and ASP.NET Core's, scraped at <c>/metrics</c>.</summary>
public static class TelemetryExtensions
{
    /// <summary>The meter Orleans reports grain calls, messaging, activations and streams on.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IServiceCollection AddTradingTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(TradingMetrics.MeterName, OrleansMeter)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves the Prometheus text format at <c>/metrics</c>.</summary>
    public static IEndpointConventionBuilder MapTradingMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
}
