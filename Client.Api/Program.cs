using System.Text.Json.Serialization;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using TradingOrleans.Client.Api;
using TradingOrleans.Client.Api.Endpoints;
using TradingOrleans.Grains.Hosting;

var builder = WebApplication.CreateBuilder(args);

var mode = builder.Configuration.GetValue(ApiHosting.ModeSetting, ApiHosting.EmbeddedMode);
var embedded = string.Equals(mode, ApiHosting.EmbeddedMode, StringComparison.OrdinalIgnoreCase);
if (embedded)
{
    builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
}
else if (string.Equals(mode, ApiHosting.ClusterMode, StringComparison.OrdinalIgnoreCase))
{
    builder.UseOrleansClient(client => client.AddTradingClient(builder.Configuration));
}
else
{
    throw new InvalidOperationException($"{ApiHosting.ModeSetting} must be '{ApiHosting.EmbeddedMode}' or '{ApiHosting.ClusterMode}', not '{mode}'");
}

builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddHealthChecks();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapScalarApiReference("/scalar");
app.MapHealthChecks("/health");
if (embedded && builder.Configuration.GetValue("Trading:Silo:Dashboard", true))
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

var api = app.MapGroup("/api/v1");
api.MapStrategyEndpoints();
api.MapTradingEndpoints();
api.MapRiskEndpoints();

app.Run();

/// <summary>The API's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
