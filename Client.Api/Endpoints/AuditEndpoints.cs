using System.ComponentModel;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The audit trail: orders, fills, risk decisions, config changes, kill-switch actions, API refusals, backtests, each with its actor.</summary>
public static class AuditEndpoints
{
    private const int MaxEvents = 10_000;

    /// <summary>Why a cluster-mode API has no trail to read: it copies the trail from the Kafka audit topic, and there is none.</summary>
    public const string NoTrail =
        "In cluster mode the API reads the silos' audit trail from the Kafka audit topic; this cluster streams without Kafka (Trading:Streaming:Provider), so each silo keeps its own trail.";

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (
                IServiceProvider services,
                [Description("Only this type: order, fill, risk-decision, strategy-config, kill-switch, risk-limits, api-refusal, strategy-quarantine, backtest")] string? type,
                [Description("Only this symbol")] string? symbol,
                [Description("From this instant (inclusive, ISO 8601)")] DateTimeOffset? from,
                [Description("Before this instant (ISO 8601)")] DateTimeOffset? to,
                [Description("At most this many, newest first (1–10000)")] int? limit,
                CancellationToken cancellationToken) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (type is not null && !AuditEventTypes.All.Contains(type))
                {
                    errors["type"] = [$"One of {string.Join(", ", AuditEventTypes.All.Order(StringComparer.Ordinal))}."];
                }

                if (symbol is not null && !ExchangeSymbol.IsValid(symbol))
                {
                    errors["symbol"] = ["An exchange symbol: 5–20 upper-case letters or digits."];
                }

                if (limit is < 1 or > MaxEvents)
                {
                    errors["limit"] = [$"Between 1 and {MaxEvents}."];
                }

                if (from is not null && to is not null && from >= to)
                {
                    errors["from"] = ["Must be before 'to'."];
                }

                if (errors.Count > 0)
                {
                    return Results.ValidationProblem(errors);
                }

                if (services.GetService<IAuditReader>() is not { } reader)
                {
                    return Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "No audit trail in this process",
                        detail: NoTrail);
                }

                return Results.Ok(await reader.QueryAsync(new AuditQuery(type, symbol, from, to, limit ?? 100), cancellationToken));
            })
            .RequireAuthorization(ApiPolicies.Admin)
            .Produces<IReadOnlyList<AuditEvent>>()
            .ProducesValidationProblem()
            .WithTags("Audit")
            .WithSummary("The audit trail, newest first, with filters (admin)");
        return api;
    }
}
