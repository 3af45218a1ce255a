using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// The venue account in <c>/health</c> (<c>Testnet</c>, <c>Live</c>): degraded while it has not been read, its last read
/// failed, or the portfolio drifted from it over the tolerance. No balance is shown: the endpoint needs no key.
/// </summary>
public sealed class AccountHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var account = await grains.GetGrain<IAccountGrain>(0).GetAccount().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        if (account?.LastReconciliation is not { } last)
        {
            return HealthCheckResult.Degraded("the account has not been reconciled yet");
        }

        var data = new Dictionary<string, object>
        {
            ["venue"] = account.Venue,
            ["lastReconciliation"] = last.At,
            ["outcome"] = last.Outcome.ToString(),
            ["driftedAssets"] = last.Assets.Where(a => a.OverTolerance && !a.Adopted).Select(a => a.Asset).ToArray(),
        };
        var description = $"{last.Outcome} at {last.At:O} ({last.Trigger})";
        return last.Outcome is ReconciliationOutcome.Failed or ReconciliationOutcome.Drift
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
