using System.ComponentModel;
using TradingOrleans.Client.Api.Reports;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Regulatory reports built from the audit trail.</summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/trades", async (
                IServiceProvider services,
                TradeReportIndex reports,
                [Description("Orders placed from this instant (inclusive, ISO 8601)")] DateTimeOffset? from,
                [Description("Orders placed before this instant (ISO 8601)")] DateTimeOffset? to,
                [Description("csv or json (default json)")] string? format,
                CancellationToken cancellationToken) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (format is not (null or "csv" or "json"))
                {
                    errors["format"] = ["csv or json."];
                }

                if (from is not null && to is not null && from >= to)
                {
                    errors["from"] = ["Must be before 'to'."];
                }

                if (errors.Count > 0)
                {
                    return Results.ValidationProblem(errors);
                }

                if (services.GetService<IAuditReader>() is not { } audit)
                {
                    return Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "No audit trail in this process",
                        detail: AuditEndpoints.NoTrail);
                }

                var report = await reports.Render(audit, from, to, csv: format == "csv").WaitAsync(cancellationToken);
                return Results.Bytes(report.Body, report.ContentType);
            })
            .RequireAuthorization(ApiPolicies.Admin)
            .Produces<IReadOnlyList<TradeReportRow>>()
            .Produces<string>(contentType: "text/csv")
            .ProducesValidationProblem()
            .WithTags("Reports")
            .WithSummary("Trade lifecycle report: order, child orders, fills, venue, fees, timestamps, decision reasons (admin)")
            .WithDescription("Each order at its newest state, kept from the audit trail and brought up to date at most once a second: a report asked for again within the second is the same. The window applies to when the trail first showed each order.");
        return api;
    }
}
