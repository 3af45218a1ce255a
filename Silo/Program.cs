using TradingOrleans.Grains.Hosting;

// Headless silo for cluster deployments: the same AddTradingSilo as the embedded API, no HTTP surface.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddTradingSilo(builder.Configuration));
await builder.Build().RunAsync();
