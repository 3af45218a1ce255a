using TradingOrleans.Grains.Hosting;

// Headless silo for cluster deployments: the same AddTradingSilo as the embedded API; over HTTP only
// /metrics (Prometheus) and /health, on 127.0.0.1 unless Urls says otherwise.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
builder.Services.AddTradingTelemetry();
builder.Services.AddTradingHealthChecks(hostsSilo: true);

var app = builder.Build();
app.MapTradingMetrics();
app.MapTradingHealth();
await app.RunAsync();
