using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using TradingOrleans.Client.Api;
using TradingOrleans.Client.Api.Endpoints;
using TradingOrleans.Client.Api.Reports;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Portfolio;

if (args.FirstOrDefault() == "new-api-key")
{
    // Prints a key for the holder and the hash for configuration; the key itself is never stored by the service.
    var key = ApiKeyStore.NewKey();
    Console.WriteLine($"key:    {key}");
    Console.WriteLine($"sha256: {Convert.ToHexStringLower(ApiKeyStore.Hash(key))}");
    return 0;
}

if (args.FirstOrDefault() == KeyHolderErasure.Command)
{
    return KeyHolderErasure.Run(args);
}

if (args.FirstOrDefault() == HealthProbe.Command)
{
    return await HealthProbe.RunAsync(args.ElementAtOrDefault(1) ?? "http://127.0.0.1:5080/health/ready");
}

var builder = WebApplication.CreateBuilder(args);
builder.AddLogRedaction();

var clusterMode = builder.Configuration.GetValue($"{ClusterModeOptions.SectionName}:{nameof(ClusterModeOptions.Mode)}", ClusterMode.Embedded);
var embedded = clusterMode == ClusterMode.Embedded;
if (embedded)
{
    builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
}
else
{
    builder.UseOrleansClient(client => client.AddTradingClient(builder.Configuration));
    // The silos' audit trail reaches the API through the cluster's Kafka audit topic, when it has one.
    builder.Services.AddClusterAuditTrail(builder.Configuration);
}

var maxBody = builder.Configuration.GetValue($"{ApiSecurityOptions.SectionName}:{nameof(ApiSecurityOptions.MaxRequestBodyBytes)}", new ApiSecurityOptions().MaxRequestBodyBytes);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
builder.Services.AddTradingTelemetry();
builder.Services.TryAddSingleton<TradingMetrics>();
builder.Services.AddApiSecurity(builder.Configuration);
builder.Services.AddOpenApi(openApi =>
{
    // The trading API and its health probes; the Orleans Dashboard's own routes are not part of it.
    openApi.ShouldInclude = description => description.RelativePath is { } path
        && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("health", StringComparison.Ordinal));
    openApi.AddDocumentTransformer<ApiKeyDocumentTransformer>();
});
builder.Services.AddProblemDetails();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TradeReportIndex>();
builder.Services.AddTradingHealthChecks(hostsSilo: embedded);
// Backtests run in silos of their own beside live trading, in either mode: they need only the configuration and the data.
builder.Services.AddBacktestJobs(builder.Configuration);
// Manual orders are checked against the account's quote asset: the silos' setting, read here in either mode.
builder.Services.AddSingleton(new QuoteAsset(
    (builder.Configuration.GetSection(PortfolioOptions.SectionName).Get<PortfolioOptions>() ?? new PortfolioOptions()).QuoteAsset));
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.MaxDepth = 16;
});

var app = builder.Build();

// Load (or, on first start, generate) the API keys now, so the local key's location is printed at start-up.
app.Services.GetRequiredService<ApiKeyStore>();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseAuditActor();
app.UseRateLimiter();
app.MapOpenApi();
app.MapScalarApiReference("/scalar", scalar => scalar.AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName));
// Metrics need a key too (Prometheus sends it as "Authorization: ApiKey <key>", see deploy/prometheus).
app.MapTradingMetrics().RequireAuthorization(ApiPolicies.Viewer);
app.MapTradingHealth();
if (embedded && builder.Configuration.GetValue("Trading:Silo:Dashboard", true))
{
    // The dashboard has no authentication of its own: it answers only callers on this machine.
    app.UseLocalCallersOnly("/dashboard", "The Orleans Dashboard answers only local callers");
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

var api = app.MapGroup("/api/v1")
    .RequireAuthorization(ApiPolicies.Viewer)
    .RequireRateLimiting(ApiPolicies.ReadLimit);
api.MapStrategyEndpoints();
api.MapTradingEndpoints();
api.MapRiskEndpoints();
api.MapAuditEndpoints();
api.MapReportEndpoints();
api.MapStrategyStateEndpoints();
api.MapAnalyticsEndpoints();
api.MapPortfolioEndpoints();
api.MapOrderEndpoints();
api.MapModelEndpoints();
api.MapBacktestEndpoints();

await app.RunAsync();
return 0;

/// <summary>The API's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
