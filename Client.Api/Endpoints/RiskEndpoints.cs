using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The kill switch and the risk state.</summary>
public static class RiskEndpoints
{
    private const int MaxReasonLength = 200;

    public static RouteGroupBuilder MapRiskEndpoints(this RouteGroupBuilder api)
    {
        var risk = api.MapGroup("/risk").WithTags("Risk");

        risk.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IRiskGrain>(0).GetStatus()))
            .WithSummary("Trading state, limits and the most recent rejections with their reasons");

        risk.MapPost("/halt", async (IGrainFactory grains, string? reason) =>
            {
                if (reason is { Length: > MaxReasonLength })
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"At most {MaxReasonLength} characters."] });
                }

                var risk = grains.GetGrain<IRiskGrain>(0);
                await risk.Halt(string.IsNullOrWhiteSpace(reason) ? "halted through the API" : reason);
                return Results.Ok(await risk.GetStatus());
            })
            .RequireAuthorization(ApiPolicies.Admin)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Kill switch: reject every new order until resumed (optional ?reason=; admin)");

        risk.MapGet("/limits", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IRiskGrain>(0).GetLimits()))
            .WithSummary("The limits risk applies now");

        risk.MapPut("/limits", async (HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<JsonDocument>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                using var changes = body!;
                var riskGrain = grains.GetGrain<IRiskGrain>(0);
                var (limits, errors) = RiskLimitsRequest.ApplyTo(changes.RootElement, await riskGrain.GetLimits(), json.Value.SerializerOptions);
                if (limits is null)
                {
                    return TypedResults.ValidationProblem(errors, title: "The risk limits are not valid");
                }

                if (limits.AllowShortSelling && request.HttpContext.RequestServices.GetService<TradingModePlan>() is { ShortSellingRefused: true } plan)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["allowShortSelling"] = [$"Trading:Mode={plan.Mode} trades a Binance spot account, which cannot sell what it does not hold."],
                    }, title: "The risk limits are not valid");
                }

                await riskGrain.SetLimits(limits);
                // What risk applies: in a cluster's API (no mode here) a spot silo still turns short selling off.
                return TypedResults.Ok(await riskGrain.GetLimits());
            })
            .Accepts<RiskLimits>("application/json")
            .Produces<RiskLimits>()
            .ProducesValidationProblem()
            .RequireAuthorization(ApiPolicies.Admin)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Change the risk limits; omitted fields keep their value (admin)");

        risk.MapPost("/resume", async (IGrainFactory grains) =>
            {
                var risk = grains.GetGrain<IRiskGrain>(0);
                await risk.Resume();
                return TypedResults.Ok(await risk.GetStatus());
            })
            .RequireAuthorization(ApiPolicies.Admin)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Lift the kill switch (admin)");

        return api;
    }
}
