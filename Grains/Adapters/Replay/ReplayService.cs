using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>Starts the replay once the silo is active (strategies seeded) and stops it with the silo.</summary>
public sealed class ReplayService(
    ReplayFeed feed,
    IGrainFactory grains,
    IServiceProvider services,
    IOptions<ReplayOptions> options,
    ILogger<ReplayService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    /// <summary>Completes when the replay has published its last bar and the orders it led to are placed (or it failed, or was stopped).</summary>
    public Task Completion => _running;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplayService), ServiceLifecycleStage.Active + 1, Start, Stop);

    /// <summary>The kline files the options select, in a stable order; throws naming the setting when none are found.</summary>
    public static IReadOnlyList<string> SelectFiles(ReplayOptions options)
    {
        var folder = PathResolver.FindExisting(options.DataDirectory)
            ?? throw new DirectoryNotFoundException($"Trading:Replay:DataDirectory '{options.DataDirectory}' was not found");
        var files = Directory.EnumerateFiles(folder, "*.csv*")
            .Where(CandleCsvReader.IsKlineFile)
            .Where(f => options.Symbols.Count == 0 || options.Symbols.Contains(CandleCsvReader.SymbolOf(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0
            ? files
            : throw new FileNotFoundException($"Trading:Replay: no kline files for [{string.Join(", ", options.Symbols)}] in {folder}");
    }

    private Task Start(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            _running = Task.Run(() => Run(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-replay is the normal way out.
        }
    }

    private async Task Run(CancellationToken cancellationToken)
    {
        try
        {
            var settings = options.Value;
            var files = SelectFiles(settings);
            var progress = grains.GetGrain<IReplayProgressGrain>(Path.GetFileName(Path.GetDirectoryName(files[0]))!);
            var resumeAfter = settings.ResumeAfterRestart ? await progress.GetLastPublished() : null;
            logger.LogInformation("Replaying {Files} at {Speed}x (0 = unpaced), resuming after {ResumeAfter}",
                string.Join(", ", files.Select(Path.GetFileName)), settings.SpeedMultiplier, resumeAfter?.ToString("u") ?? "the start");
            // A bar's order path runs on after the symbol has taken it (live data need not wait for it); the replay
            // waits for it before publishing the next bar, and fills the next-bar-open paper venue's orders (if any).
            // The venues are built only now: built with this participant, they would read their options before the silo's
            // start-up validation reports every bad setting at once.
            var venues = services.GetRequiredService<IReadOnlyList<IBroker>>();
            await feed.RunAsync(files, settings, resumeAfter, progress.SetLastPublished, new MarketReplayStep(grains, venues), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Replay stopped");
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Replay failed");
            throw;
        }
    }
}
