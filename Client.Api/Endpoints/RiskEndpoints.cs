using TradingOrleans.Grains.Interfaces;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The kill switch and the risk state.</summary>
public static class RiskEndpoints
{
    public static RouteGroupBuilder MapRiskEndpoints(this RouteGroupBuilder api)
    {
        var risk = api.MapGroup("/risk").WithTags("Risk");

        risk.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IRiskGrain>(0).GetStatus()))
            .WithSummary("Trading state, limits and the most recent rejections with their reasons");

        risk.MapPost("/halt", async (IGrainFactory grains, string? reason) =>
            {
                var risk = grains.GetGrain<IRiskGrain>(0);
                await risk.Halt(string.IsNullOrWhiteSpace(reason) ? "halted through the API" : reason);
                return TypedResults.Ok(await risk.GetStatus());
            })
            .WithSummary("Kill switch: reject every new order until resumed (optional ?reason=)");

        risk.MapPost("/resume", async (IGrainFactory grains) =>
            {
                var risk = grains.GetGrain<IRiskGrain>(0);
                await risk.Resume();
                return TypedResults.Ok(await risk.GetStatus());
            })
            .WithSummary("Lift the kill switch");

        return api;
    }
}
