using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Hosting;

/// <summary>At silo start: logs the trading mode with its feed and venues, warns of each conflict allowed by override, and sets the <c>trading.mode</c> gauge.</summary>
public sealed class TradingModeAnnouncer(TradingModePlan plan, TradingMetrics metrics, ILogger<TradingModeAnnouncer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TradingModeAnnouncer), ServiceLifecycleStage.First, Announce);

    private Task Announce(CancellationToken cancellationToken)
    {
        logger.LogInformation("Trading mode {Summary}", plan.Summary);
        foreach (var conflict in plan.Conflicts)
        {
            logger.LogWarning("Trading:AllowModeConflicts lets this start: {Conflict}", conflict);
        }

        metrics.TradingModeResolved(plan.Mode);
        return Task.CompletedTask;
    }
}

/// <summary>The trading mode in <c>/health</c>: always healthy (a refused mode never starts), with mode, feed and venues as data.</summary>
public sealed class TradingModeHealthCheck(TradingModePlan plan) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(plan.Summary, new Dictionary<string, object>
        {
            ["mode"] = plan.Mode.ToString(),
            ["feed"] = plan.Feed,
            ["venues"] = plan.Venues,
            ["allowedConflicts"] = plan.Conflicts,
        }));
}
