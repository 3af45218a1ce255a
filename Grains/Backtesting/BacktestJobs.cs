using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Grains.Backtesting;

public enum BacktestJobStatus
{
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>The result files a completed job serves: a backtest's report, trades and equity; a sweep's report and ranking.</summary>
public enum BacktestResultFile
{
    Report,
    Trades,
    Equity,
    Ranking,
}

/// <summary>A backtest job as its <c>job.json</c> keeps it.</summary>
/// <param name="Submitted">When it was accepted (wall clock).</param>
/// <param name="Finished">When it completed, failed or was cancelled; null while it runs, and for a job the service found interrupted.</param>
/// <param name="Reason">Why it failed or was cancelled.</param>
/// <param name="Bars">Bars replayed, once completed.</param>
/// <param name="Summary">Its figures, once completed (a sweep's: its best combination's, confirmed if it was).</param>
/// <param name="Sweep">Set for a sweep of the spec's one strategy.</param>
public sealed record BacktestJobRecord(
    string Id,
    BacktestJobStatus Status,
    DateTimeOffset Submitted,
    BacktestSpec Spec,
    DateTimeOffset? Finished = null,
    string? Reason = null,
    long? Bars = null,
    PerformanceSummary? Summary = null,
    BacktestSweepRequest? Sweep = null);

/// <summary>A completed backtest's figures, as its summary.json gives them.</summary>
public sealed record BacktestOutcome(
    long Bars,
    PerformanceSummary Summary,
    IReadOnlyList<MonthlyReturn> Monthly,
    IReadOnlyList<StrategyAttribution> Attribution,
    decimal NettingResidual);

/// <summary>A job as the service sees it.</summary>
/// <param name="Progress">The last progress it reported; null for a job this process did not run.</param>
/// <param name="CancelRequested">It was cancelled and is stopping (its status is still <see cref="BacktestJobStatus.Running"/>).</param>
/// <param name="Outcome">Read from summary.json for a completed job by <see cref="BacktestJobs.Get"/>; never by <see cref="BacktestJobs.List"/>.</param>
/// <param name="SweepProgress">A running sweep's phase and steps; null otherwise.</param>
public sealed record BacktestJob(BacktestJobRecord Record, BacktestProgress? Progress, bool CancelRequested, BacktestOutcome? Outcome = null, SweepProgress? SweepProgress = null);

/// <summary>What became of a submitted backtest.</summary>
public abstract record BacktestSubmission
{
    private BacktestSubmission()
    {
    }

    /// <summary>It runs in the background from now on.</summary>
    public sealed record Accepted(BacktestJob Job) : BacktestSubmission;

    /// <summary>It cannot run: every problem, keyed by its JSON field path (<see cref="BacktestSpec.Validate"/>).</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : BacktestSubmission;

    /// <summary>As many jobs run as <see cref="BacktestJobOptions.MaxConcurrentJobs"/> allows; the soonest should end in about <paramref name="RetryAfter"/>.</summary>
    public sealed record Busy(int Running, TimeSpan RetryAfter) : BacktestSubmission;
}

/// <summary>A result file of a job, or why it has none.</summary>
public abstract record BacktestResultLookup
{
    private BacktestResultLookup()
    {
    }

    public sealed record Found(string Path) : BacktestResultLookup;

    public sealed record UnknownJob : BacktestResultLookup;

    /// <summary>The job is running, failed or was cancelled: whatever files its folder holds are not a result.</summary>
    public sealed record NotCompleted(BacktestJob Job) : BacktestResultLookup;

    /// <summary>A file this kind of job never has (a sweep's trades, a backtest's ranking).</summary>
    public sealed record NotInThisJob(string Why) : BacktestResultLookup;
}

/// <summary>
/// Backtests as jobs of the running service: each is validated, then runs in the background through
/// <see cref="BacktestEngine"/> (a silo of its own, so it never touches live state), writing into
/// <c>{Trading:Backtest:Directory}/{id}/</c> its job.json, audit trail and, once completed, the result files. A
/// job's files are served only once job.json says completed and summary.json (written last) exists; a job that was
/// running when the service stopped without cancelling it is marked failed at the next start.
/// </summary>
public sealed class BacktestJobs : IHostedService
{
    public const string JobFile = "job.json", AuditFile = "audit.jsonl";

    public const string Interrupted = "interrupted: the service restarted before it finished";

    private const string CancelledOnRequest = "cancelled on request";
    private const string ServiceStopped = "the service stopped before it finished";

    /// <summary>When no running job has an estimate yet: its silo is still starting.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long a stop waits for cancelled jobs' silos: the live silo stops after this service, within the same shutdown timeout.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly BacktestJobOptions _options;
    private readonly IConfiguration _installation;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<BacktestJobs> _logger;
    private readonly string _directory;
    private readonly BacktestInstallation _here;
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public BacktestJobs(IOptions<BacktestJobOptions> options, IConfiguration installation, TimeProvider time, ILoggerFactory loggerFactory)
    {
        (_options, _installation, _time, _loggerFactory) = (options.Value, installation, time, loggerFactory);
        _logger = loggerFactory.CreateLogger<BacktestJobs>();
        _directory = Path.GetFullPath(_options.Directory);
        _here = BacktestInstallation.From(installation, _options.DataDirectory);
        Directory.CreateDirectory(_directory);
        LoadJobs();
    }

    /// <summary>Validates the request and, when it is valid and a slot is free, starts it in the background.</summary>
    public BacktestSubmission Submit(BacktestRequest request)
    {
        var (spec, missing) = request.ToSpec();
        var errors = spec is null ? missing : _here.Validate(spec);
        if (errors.Count == 0 && request.Sweep is { } sweep)
        {
            errors = sweep.ToSettings(spec!).Errors;
        }

        if (errors.Count > 0)
        {
            return new BacktestSubmission.Invalid(errors);
        }

        lock (_gate)
        {
            var running = _jobs.Values.Where(j => j.Record.Status == BacktestJobStatus.Running).ToList();
            if (running.Count >= _options.MaxConcurrentJobs)
            {
                return new BacktestSubmission.Busy(running.Count, SoonestEnd(running));
            }

            var id = NewId();
            var job = new Job(new BacktestJobRecord(id, BacktestJobStatus.Running, _time.GetUtcNow(), spec!, Sweep: request.Sweep), new CancellationTokenSource());
            Directory.CreateDirectory(Folder(id));
            Save(job.Record);
            _jobs[id] = job;
            // Not under the caller's execution context: the job outlives the request (its logging scope, its activity).
            using (ExecutionContext.SuppressFlow())
            {
                job.Run = Task.Run(() => RunAsync(job));
            }

            _logger.LogInformation("Backtest {Id} started: {Strategies} strategies on {Symbols} from {From:u} to {To:u}",
                id, spec!.Strategies.Count, string.Join(",", spec.EffectiveSymbols), spec.From, spec.To);
            return new BacktestSubmission.Accepted(job.View());
        }
    }

    /// <summary>Every job, newest first, without the figures (<see cref="Get"/> reads those).</summary>
    public IReadOnlyList<BacktestJob> List()
    {
        lock (_gate)
        {
            return [.. _jobs.Values.Select(j => j.View()).OrderByDescending(j => j.Record.Submitted).ThenBy(j => j.Record.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>One job, with its figures when it is completed; null for an unknown id.</summary>
    public BacktestJob? Get(string id)
    {
        if (View(id) is not { } job)
        {
            return null;
        }

        return Result(job, BacktestResult.SummaryFile) is { } summary && ReadOutcome(summary) is { } outcome ? job with { Outcome = outcome } : job;
    }

    /// <summary>
    /// Cancels a running job: it stops in the background and is then <see cref="BacktestJobStatus.Cancelled"/>. Returns the
    /// job (a finished one unchanged), or null for an unknown id.
    /// </summary>
    public async Task<BacktestJob?> CancelAsync(string id)
    {
        Job? job;
        bool cancelling;
        lock (_gate)
        {
            job = _jobs.GetValueOrDefault(id);
            cancelling = job?.TryCancel(CancelledOnRequest) == true;
        }

        if (cancelling)
        {
            _logger.LogInformation("Backtest {Id} cancelled", id);
            // Outside the lock: the engine's cancellation callbacks run as the token is cancelled.
            await job!.Cancellation!.CancelAsync();
        }

        return View(id);
    }

    /// <summary>The path of a result file of a completed job.</summary>
    public BacktestResultLookup Result(string id, BacktestResultFile file)
    {
        if (View(id) is not { } job)
        {
            return new BacktestResultLookup.UnknownJob();
        }

        var sweep = job.Record.Sweep is not null;
        var name = (file, sweep) switch
        {
            (BacktestResultFile.Report, false) => BacktestResult.ReportFile,
            (BacktestResultFile.Report, true) => SweepReport.ReportFile,
            (BacktestResultFile.Trades, false) => BacktestResult.TradesFile,
            (BacktestResultFile.Equity, false) => BacktestResult.EquityFile,
            (BacktestResultFile.Ranking, true) => SweepReport.RankingFile,
            _ => null,
        };
        if (name is null)
        {
            return new BacktestResultLookup.NotInThisJob(sweep
                ? $"Backtest {id} is a sweep: it has a report and a ranking, not {file.ToString().ToLowerInvariant()}."
                : $"Backtest {id} is a single backtest: it has no {file.ToString().ToLowerInvariant()}.");
        }

        return Result(job, name) is { } path ? new BacktestResultLookup.Found(path) : new BacktestResultLookup.NotCompleted(job);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Cancels the running jobs and gives their silos <see cref="StopWait"/> to stop; each is recorded cancelled either
    /// way (a cancelled job writes no results). One the process loses before that is marked interrupted at the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Job> stopping;
        lock (_gate)
        {
            stopping = [.. _jobs.Values.Where(j => j.TryCancel(ServiceStopped))];
        }

        foreach (var job in stopping)
        {
            await job.Cancellation!.CancelAsync();
        }

        try
        {
            await Task.WhenAll(stopping.Select(j => j.Run)).WaitAsync(StopWait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            var slow = stopping.Where(j => !j.Run.IsCompleted).ToList();
            _logger.LogWarning("Backtests {Ids} had not stopped {Wait} after their cancel; recorded cancelled, the service stops without waiting for them",
                string.Join(", ", slow.Select(j => j.Record.Id)), StopWait);
            slow.ForEach(j => Finish(j, j.Record with { Status = BacktestJobStatus.Cancelled, Finished = _time.GetUtcNow(), Reason = ServiceStopped }));
        }
    }

    private async Task RunAsync(Job job)
    {
        var record = job.Record;
        var folder = Folder(record.Id);
        var cancellation = job.Cancellation!.Token;
        try
        {
            if (record.Sweep is { } sweep)
            {
                var result = await BacktestSweep.RunAsync(record.Spec, sweep.ToSettings(record.Spec).Settings!, _installation, _here, job, cancellation,
                    new JobLogging(_loggerFactory, record.Id));
                await SweepReport.WriteAsync(result, folder, cancellation);
                var best = result.Ranking.FirstOrDefault();
                Finish(job, record with { Status = BacktestJobStatus.Completed, Finished = _time.GetUtcNow(), Summary = best?.Confirmed ?? best?.Screen });
            }
            else
            {
                var recording = await BacktestEngine.RunAsync(record.Spec, _installation, _here.Data, Path.Combine(folder, AuditFile), job, cancellation,
                    new JobLogging(_loggerFactory, record.Id));
                var result = BacktestResult.Of(recording);
                await result.WriteAsync(folder, $"Backtest {record.Id}", cancellation);
                Finish(job, record with { Status = BacktestJobStatus.Completed, Finished = _time.GetUtcNow(), Bars = recording.Bars, Summary = result.Summary });
            }
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            // Whatever the engine threw while it stopped, the cancel is why.
            _logger.LogDebug(e, "Backtest {Id} stopped on its cancellation", record.Id);
            Finish(job, record with { Status = BacktestJobStatus.Cancelled, Finished = _time.GetUtcNow(), Reason = job.CancelReason });
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Backtest {Id} failed", record.Id);
            Finish(job, record with { Status = BacktestJobStatus.Failed, Finished = _time.GetUtcNow(), Reason = e.Message });
        }
    }

    /// <summary>Records how a job ended, once: a stop that gave up waiting for a job's silo has recorded it before its run ends.</summary>
    private void Finish(Job job, BacktestJobRecord record)
    {
        lock (_gate)
        {
            if (job.Record.Status != BacktestJobStatus.Running)
            {
                return;
            }

            job.Record = record;
        }

        try
        {
            Save(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its job.json still says running, so the next start marks it interrupted rather than serving it.
            _logger.LogError(e, "Backtest {Id} is {Status} but its {File} could not be written", record.Id, record.Status, JobFile);
        }

        _logger.LogInformation("Backtest {Id} {Status}{Reason}", record.Id, record.Status, record.Reason is null ? "" : $": {record.Reason}");
    }

    /// <summary>Every job folder; one whose job.json says running lost its process (killed, crashed) and is marked failed.</summary>
    private void LoadJobs()
    {
        foreach (var folder in Directory.EnumerateDirectories(_directory))
        {
            var path = Path.Combine(folder, JobFile);
            BacktestJobRecord? record;
            try
            {
                record = File.Exists(path) ? JsonSerializer.Deserialize<BacktestJobRecord>(File.ReadAllText(path), BacktestResult.Json) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
            {
                _logger.LogWarning(e, "Skipping backtest folder {Folder}: its {File} cannot be read", folder, JobFile);
                continue;
            }

            if (record is null || record.Id != Path.GetFileName(folder))
            {
                continue;
            }

            if (record.Status == BacktestJobStatus.Running)
            {
                record = record with { Status = BacktestJobStatus.Failed, Reason = Interrupted };
                Save(record);
                _logger.LogWarning("Backtest {Id} was running when the service stopped; marked failed", record.Id);
            }

            _jobs[record.Id] = new Job(record, cancellation: null);
        }
    }

    private BacktestJob? View(string id)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(id)?.View();
        }
    }

    /// <summary>A file of a completed job, only when its summary (a sweep's sweep.json; written last) is there: never a half-written result.</summary>
    private string? Result(BacktestJob job, string file)
    {
        var folder = Folder(job.Record.Id);
        var last = job.Record.Sweep is null ? BacktestResult.SummaryFile : SweepReport.JsonFile;
        return job.Record.Status == BacktestJobStatus.Completed && File.Exists(Path.Combine(folder, last)) && File.Exists(Path.Combine(folder, file))
            ? Path.Combine(folder, file)
            : null;
    }

    private BacktestOutcome? ReadOutcome(string summaryPath)
    {
        try
        {
            return JsonSerializer.Deserialize<BacktestOutcome>(File.ReadAllText(summaryPath), BacktestResult.Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            _logger.LogWarning(e, "The summary {Path} cannot be read", summaryPath);
            return null;
        }
    }

    private string Folder(string id) => Path.Combine(_directory, id);

    private string NewId()
    {
        string id;
        do
        {
            id = Guid.NewGuid().ToString("N")[..12];
        }
        while (_jobs.ContainsKey(id) || Directory.Exists(Folder(id)));

        return id;
    }

    /// <summary>Written to a temporary file and moved over the old one, so a stop mid-write never leaves a torn job.json.</summary>
    private void Save(BacktestJobRecord record)
    {
        var path = Path.Combine(Folder(record.Id), JobFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record, BacktestResult.Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static TimeSpan SoonestEnd(IEnumerable<Job> running)
    {
        var soonest = running.Select(j => j.Progress?.Remaining).Where(r => r is not null).Min() ?? DefaultRetryAfter;
        return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(soonest.TotalSeconds), 1, 3600));
    }

    /// <summary>A job in memory: its record and cancel (changed under the service's lock), its run and its progress.</summary>
    private sealed class Job(BacktestJobRecord record, CancellationTokenSource? cancellation) : IProgress<BacktestProgress>, IProgress<SweepProgress>
    {
        private BacktestProgress? _progress;
        private SweepProgress? _sweepProgress;

        public BacktestJobRecord Record { get; set; } = record;

        /// <summary>Null for a job loaded from an earlier run. Never disposed: it has no timer or linked token, and a late cancel must not throw.</summary>
        public CancellationTokenSource? Cancellation { get; } = cancellation;

        public Task Run { get; set; } = Task.CompletedTask;

        public string? CancelReason { get; private set; }

        public BacktestProgress? Progress => Volatile.Read(ref _progress);

        public void Report(BacktestProgress value) => Volatile.Write(ref _progress, value);

        public void Report(SweepProgress value) => Volatile.Write(ref _sweepProgress, value);

        /// <summary>Records why a running job is cancelled; false if it is not running, not this process's, or already cancelled.</summary>
        public bool TryCancel(string reason)
        {
            if (Record.Status != BacktestJobStatus.Running || Cancellation is null || CancelReason is not null)
            {
                return false;
            }

            CancelReason = reason;
            return true;
        }

        public BacktestJob View() => new(Record, Progress, Record.Status == BacktestJobStatus.Running && CancelReason is not null,
            SweepProgress: Record.Status == BacktestJobStatus.Running ? Volatile.Read(ref _sweepProgress) : null);
    }

    /// <summary>
    /// The service's logging for one job's silo: warnings and errors (the frameworks', errors only), under categories
    /// that name the job, so they are never taken for the live silo's.
    /// </summary>
    private sealed class JobLogging(ILoggerFactory service, string id) : ILoggerFactory
    {
        private static readonly string[] Frameworks = ["Orleans", "Microsoft", "Polly"];

        public ILogger CreateLogger(string categoryName) => new AtLeast(
            service.CreateLogger($"Backtest.{id}.{categoryName}"),
            Frameworks.Any(f => categoryName.StartsWith(f, StringComparison.Ordinal)) ? LogLevel.Error : LogLevel.Warning);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("A backtest logs through the service's providers.");

        public void Dispose()
        {
        }

        private sealed class AtLeast(ILogger logger, LogLevel minimum) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => logger.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logger.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    logger.Log(logLevel, eventId, state, exception, formatter);
                }
            }
        }
    }
}

public static class BacktestJobsServiceCollectionExtensions
{
    /// <summary>The backtest jobs service with its <c>Trading:Backtest</c> settings validated at start; running jobs are cancelled when the host stops.</summary>
    public static IServiceCollection AddBacktestJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BacktestJobOptions>().Bind(configuration.GetSection(BacktestJobOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BacktestJobOptions>>(new SectionValidator<BacktestJobOptions>(BacktestJobOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BacktestJobs>();
        // As a hosted service it is built at start, so interrupted jobs are marked before the first request.
        services.AddHostedService(sp => sp.GetRequiredService<BacktestJobs>());
        return services;
    }
}
