using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Backtests as jobs: submit one (or a sweep), follow its progress, read its report, trades and equity (a sweep's ranking), cancel it.</summary>
public static class BacktestEndpoints
{
    public static RouteGroupBuilder MapBacktestEndpoints(this RouteGroupBuilder api)
    {
        var backtests = api.MapGroup("/backtests").WithTags("Backtests");
        // A misspelt field anywhere in the body (a fill setting, a strategy's) is named, never silently ignored.
        var strict = JsonBody.Strict(api);

        backtests.MapPost("/", async (HttpRequest request, BacktestJobs jobs, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<BacktestRequest>(request, ct, strict);
                if (problem is not null)
                {
                    return problem;
                }

                var submission = jobs.Submit(body!);
                if (submission is BacktestSubmission.Accepted { Job.Record: var started })
                {
                    Audit(request.HttpContext, started.Id, string.Create(CultureInfo.InvariantCulture,
                        $"started: {started.Spec.Strategies.Count} strategies on {string.Join(",", started.Spec.EffectiveSymbols)} from {started.Spec.From:u} to {started.Spec.To:u}"));
                }

                return submission switch
                {
                    BacktestSubmission.Accepted accepted => TypedResults.Accepted(Location(accepted.Job.Record.Id), BacktestJobResponse.Of(accepted.Job)),
                    BacktestSubmission.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors.ToDictionary(), title: "The backtest is not valid"),
                    BacktestSubmission.Busy busy => Busy(request.HttpContext, busy),
                    var other => throw new InvalidOperationException($"Unexpected submission {other}."),
                };
            })
            .Accepts<BacktestRequest>("application/json")
            .Produces<BacktestJobResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Start a backtest, or with `sweep` a parameter sweep (trader): 202 with the job; 400 names every bad field; 429 while Trading:Backtest:MaxConcurrentJobs run");

        backtests.MapGet("/", (BacktestJobs jobs) => TypedResults.Ok(jobs.List().Select(BacktestJobResponse.Of).ToList()))
            .WithSummary("Every backtest job, newest first, with its status, progress and, once completed, its headline figures");

        backtests.MapGet("/{id}", IResult (string id, BacktestJobs jobs) =>
                jobs.Get(id) is { } job ? TypedResults.Ok(BacktestJobResponse.Of(job)) : NotFound(id))
            .Produces<BacktestJobResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One backtest job: status, progress (bars, bars per second, ETA) and, once completed, its figures, monthly returns and attribution");

        backtests.MapGet("/{id}/report", IResult (string id, BacktestJobs jobs) => jobs.Result(id, BacktestResultFile.Report) switch
            {
                BacktestResultLookup.Found found => TypedResults.PhysicalFile(found.Path, "text/html; charset=utf-8"),
                var other => NotServed(id, other),
            })
            .Produces<string>(contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A completed backtest's HTML report (self-contained: inline CSS and SVG charts); a sweep's ranking and walk-forward folds");

        backtests.MapGet("/{id}/ranking", IResult (string id, [Description("csv (default) or json (everything the sweep found)")] string? format, BacktestJobs jobs) =>
            {
                if (format is not (null or "csv" or "json"))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["csv or json."] });
                }

                return jobs.Result(id, BacktestResultFile.Ranking) switch
                {
                    BacktestResultLookup.Found found when format == "json" =>
                        TypedResults.PhysicalFile(Path.Combine(Path.GetDirectoryName(found.Path)!, SweepReport.JsonFile), "application/json; charset=utf-8"),
                    BacktestResultLookup.Found found => TypedResults.PhysicalFile(found.Path, "text/csv; charset=utf-8", $"sweep-{id}-{SweepReport.RankingFile}"),
                    var other => NotServed(id, other),
                };
            })
            .Produces<string>(contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A completed sweep's ranking: every combination best first, with the confirmed figures; as JSON, also the walk-forward folds");

        backtests.MapGet("/{id}/trades", async (string id, [Description("csv (default) or json")] string? format, BacktestJobs jobs, CancellationToken ct) =>
                await Table(id, format, BacktestResultFile.Trades, jobs, async path => await BacktestResultCsv.ReadFillsAsync(path, ct)))
            .Produces<string>(contentType: "text/csv")
            .Produces<IReadOnlyList<BacktestFill>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A completed backtest's fills: time, symbol, side, quantity, price, fee, order id");

        backtests.MapGet("/{id}/equity", async (string id, [Description("csv (default) or json")] string? format, BacktestJobs jobs, CancellationToken ct) =>
                await Table(id, format, BacktestResultFile.Equity, jobs, async path => await BacktestResultCsv.ReadEquityAsync(path, ct)))
            .Produces<string>(contentType: "text/csv")
            .Produces<IReadOnlyList<EquitySample>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A completed backtest's account after each market time: equity, buy-and-hold benchmark, gross exposure");

        backtests.MapDelete("/{id}", async Task<IResult> (string id, BacktestJobs jobs, HttpContext context) =>
                await jobs.CancelAsync(id) switch
                {
                    null => NotFound(id),
                    { CancelRequested: true } job => Cancelled(context, job),
                    var job => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The backtest is not running",
                        detail: $"Backtest {id} is {job.Record.Status}: there is nothing to cancel. DELETE only cancels a running backtest; finished results are kept."),
                })
            .Produces<BacktestJobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Cancel a running backtest (trader): 202, and it becomes Cancelled once its silo has stopped; 409 for a finished one, whose results are kept");

        return api;
    }

    private static string Location(string id) => $"/api/v1/backtests/{id}";

    private static IResult Cancelled(HttpContext context, BacktestJob job)
    {
        Audit(context, job.Record.Id, "cancel requested");
        return TypedResults.Accepted(Location(job.Record.Id), BacktestJobResponse.Of(job));
    }

    /// <summary>A backtest started or stopped joins the audit trail when this process keeps one (embedded mode).</summary>
    private static void Audit(HttpContext context, string jobId, string what) =>
        context.RequestServices.GetService<IAuditSink>()?.Write(AuditEvents.Backtest(jobId, what, TimeProvider.System.GetUtcNow(), AuditActor.Current));

    /// <summary>A table of a completed job as its CSV file, or as JSON rows read from it.</summary>
    private static async Task<IResult> Table<TRow>(string id, string? format, BacktestResultFile file, BacktestJobs jobs, Func<string, Task<IReadOnlyList<TRow>>> rows)
    {
        if (format is not (null or "csv" or "json"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["csv or json."] });
        }

        var lookup = jobs.Result(id, file);
        if (lookup is not BacktestResultLookup.Found found)
        {
            return NotServed(id, lookup);
        }

        return format == "json"
            ? TypedResults.Ok(await rows(found.Path))
            : TypedResults.PhysicalFile(found.Path, "text/csv; charset=utf-8", $"backtest-{id}-{Path.GetFileName(found.Path)}");
    }

    private static IResult NotServed(string id, BacktestResultLookup lookup) => lookup switch
    {
        BacktestResultLookup.NotCompleted { Job: var job } => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The backtest has no results",
            detail: job.Record.Status == BacktestJobStatus.Running
                ? $"Backtest {id} is still running; its results are served once it has completed."
                : $"Backtest {id} is {job.Record.Status}{(job.Record.Reason is { } reason ? $" ({reason})" : "")}: only a completed backtest has results."),
        BacktestResultLookup.NotInThisJob { Why: var why } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such file for this job", detail: why),
        _ => NotFound(id),
    };

    private static IResult Busy(HttpContext context, BacktestSubmission.Busy busy)
    {
        var seconds = ((int)busy.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many backtests running",
            detail: $"Backtests running: {busy.Running}, as many as Trading:Backtest:MaxConcurrentJobs allows; retry in about {seconds} s.");
    }

    private static IResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Backtest not found", detail: $"No backtest has id '{id}'.");
}

/// <summary>
/// A backtest job as the API shows it: what it runs, how far it is, and once completed its figures (the monthly
/// returns, attribution and netting residual only from <c>GET /backtests/{id}</c>).
/// </summary>
/// <param name="Reason">Why it failed or was cancelled.</param>
/// <param name="CancelRequested">Cancelled, and stopping.</param>
/// <param name="Progress">Null for a job this process did not run (one from before a restart).</param>
/// <param name="Symbols">The symbols replayed.</param>
/// <param name="Sweep">A sweep's grid and options; its <c>summary</c> is its best combination's (confirmed through the full pipeline if it was).</param>
/// <param name="SweepProgress">A running sweep's phase (screen, confirm, walk-forward) and its steps.</param>
public sealed record BacktestJobResponse(
    string Id,
    BacktestJobStatus Status,
    DateTimeOffset Submitted,
    DateTimeOffset? Finished,
    string? Reason,
    bool CancelRequested,
    BacktestProgressResponse? Progress,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Symbols,
    IReadOnlyList<StrategyConfig> Strategies,
    decimal InitialCash,
    BacktestFills Fills,
    IReadOnlyDictionary<string, string>? Settings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Bars,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PerformanceSummary? Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MonthlyReturn>? Monthly,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StrategyAttribution>? Attribution,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? NettingResidual,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BacktestSweepRequest? Sweep = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SweepProgress? SweepProgress = null)
{
    public static BacktestJobResponse Of(BacktestJob job)
    {
        var (record, spec) = (job.Record, job.Record.Spec);
        return new BacktestJobResponse(
            record.Id, record.Status, record.Submitted, record.Finished, record.Reason, job.CancelRequested,
            job.Progress is { } p ? new BacktestProgressResponse(p.BarsDone, p.BarsTotal, p.BarsPerSecond, p.Remaining?.TotalSeconds) : null,
            spec.From, spec.To, spec.EffectiveSymbols, spec.Strategies, spec.InitialCash, spec.EffectiveFills, spec.Settings,
            job.Outcome?.Bars ?? record.Bars, job.Outcome?.Summary ?? record.Summary, job.Outcome?.Monthly, job.Outcome?.Attribution, job.Outcome?.NettingResidual,
            record.Sweep, job.SweepProgress);
    }
}

/// <param name="EtaSeconds">Time left at the rate so far; null until there is a rate.</param>
public sealed record BacktestProgressResponse(long BarsDone, long BarsTotal, double BarsPerSecond, double? EtaSeconds);
