using Orleans.Dashboard;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Downloads;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Ml;

// Headless silo for cluster deployments: the same AddTradingSilo as the embedded API; over HTTP only
// /metrics (Prometheus, with an API key), /health and the Orleans Dashboard (local callers), on 127.0.0.1 unless Urls says otherwise.
if (args.FirstOrDefault() == TrainingCommand.Name)
{
    return TrainingCommand.Run(args[1..], Console.Out);
}

if (args.FirstOrDefault() == BacktestCommand.Name)
{
    var installation = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables().Build();
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => (e.Cancel, _) = (true, stop.CancelAsync());
    return await BacktestCommand.RunAsync(args[1..], installation, Console.Out, stop.Token);
}

if (args.FirstOrDefault() == DataDownloadCommand.Name)
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => (e.Cancel, _) = (true, stop.CancelAsync());
    return await DataDownloadCommand.RunAsync(args[1..], Console.Out, TimeProvider.System, stop.Token);
}

if (args.FirstOrDefault() == HealthProbe.Command)
{
    return await HealthProbe.RunAsync(args.ElementAtOrDefault(1) ?? "http://127.0.0.1:9091/health/ready");
}

var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
builder.Services.AddTradingTelemetry();
builder.Services.AddTradingHealthChecks(hostsSilo: true);

var app = builder.Build();
// Health stays open for probes; metrics need an API key; the dashboard (no authentication of its own, log stream
// included) answers only callers on this machine, as the API's does.
app.UseMetricsKey(builder.Configuration);
app.MapTradingMetrics();
app.MapTradingHealth();
if (builder.Configuration.GetValue("Trading:Silo:Dashboard", true))
{
    app.UseLocalCallersOnly("/dashboard", "The Orleans Dashboard answers only local callers");
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

await app.RunAsync();
return 0;
