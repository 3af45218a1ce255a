extern alias clientapi;

using System.Collections.Concurrent;
using System.Diagnostics;
using clientapi::TradingOrleans.Client.Api.Security;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// The clients of <c>ticks --api-load</c>: each polls every read endpoint of the trading API in turn. They run in a
/// process of their own (the harness's <c>api-poll</c> command, started by <see cref="ApiUnderLoad"/>), as a dashboard
/// does: the CPU and the allocation of their HTTP stack are not the service's, and they share the machine's cores with
/// it as any client on the same host would.
/// </summary>
public static class ApiPollers
{
    /// <summary>The environment variable the key reaches the pollers' process in (never its command line).</summary>
    public const string KeyVariable = "TRADING_BENCHMARK_API_KEY";

    /// <summary>Every GET of the trading API without a path parameter, and the two with one, on the first symbol.</summary>
    private static string[] ReadEndpoints(string symbol) =>
    [
        "/api/v1/portfolio", "/api/v1/portfolio/allocation", "/api/v1/portfolio/equity-curve", "/api/v1/portfolio/rebalance",
        "/api/v1/risk", "/api/v1/risk/limits", "/api/v1/orders", "/api/v1/strategies", "/api/v1/strategies/types",
        "/api/v1/pairs", "/api/v1/models", "/api/v1/audit", "/api/v1/reports/trades", $"/api/v1/signals/{symbol}",
    ];

    /// <summary>
    /// Runs <paramref name="clients"/> polling loops against <paramref name="api"/> until <paramref name="stop"/>, counting
    /// from <paramref name="from"/>: at <paramref name="requestsPerSecond"/> all together, or as fast as answered when it is 0.
    /// </summary>
    public static async Task<ApiUnderLoad.Figures> RunAsync(
        Uri api, string key, int clients, double requestsPerSecond, string symbol, DateTimeOffset from, CancellationToken stop)
    {
        var latencies = new ConcurrentDictionary<string, ConcurrentQueue<double>>();
        var bodyBytes = new ConcurrentDictionary<string, long>();
        var notSuccessful = new ConcurrentDictionary<string, long>();
        var endpoints = ReadEndpoints(symbol);
        var interval = requestsPerSecond > 0 ? TimeSpan.FromSeconds(clients / requestsPerSecond) : TimeSpan.Zero;

        async Task Poll(int client)
        {
            // A connection per client, as a dashboard each has; each body is read into one buffer and dropped.
            using var http = new HttpClient { BaseAddress = api };
            var buffer = new byte[64 * 1024];
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
            // Clients start spread over one interval, so a fixed rate is not sent in bursts of one request per client.
            var due = Stopwatch.GetTimestamp() + (long)(interval.TotalSeconds * Stopwatch.Frequency * client / clients);
            for (var i = client; !stop.IsCancellationRequested; i++)
            {
                var path = endpoints[i % endpoints.Length];
                try
                {
                    if (interval > TimeSpan.Zero)
                    {
                        var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                        if (early > TimeSpan.Zero)
                        {
                            await Task.Delay(early, stop);
                        }
                    }

                    // Late: counted from when it was due; on time: from now (a timer may wake a little early).
                    var begun = interval > TimeSpan.Zero ? Math.Min(due, Stopwatch.GetTimestamp()) : Stopwatch.GetTimestamp();
                    due += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop);
                    await using var body = await response.Content.ReadAsStreamAsync(stop);
                    var bytes = 0L;
                    for (int read; (read = await body.ReadAsync(buffer, stop)) > 0;)
                    {
                        bytes += read;
                    }

                    if (DateTimeOffset.UtcNow < from)
                    {
                        continue;
                    }

                    latencies.GetOrAdd(path, _ => new ConcurrentQueue<double>()).Enqueue(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                    bodyBytes.AddOrUpdate(path, bytes, (_, total) => total + bytes);
                    if (!response.IsSuccessStatusCode)
                    {
                        notSuccessful.AddOrUpdate($"{path} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Poll(c))));
        var seconds = Math.Max(1e-9, (DateTimeOffset.UtcNow - from).TotalSeconds);
        var all = latencies.Values.SelectMany(l => l).Order().ToArray();
        return new ApiUnderLoad.Figures(clients, requestsPerSecond, all.Length, all.Length / seconds,
            notSuccessful.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
            NearestRank.Of(all, 0.5), NearestRank.Of(all, 0.99),
            latencies.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e =>
            {
                var sorted = e.Value.Order().ToArray();
                return new ApiUnderLoad.EndpointFigures(sorted.Length, NearestRank.Of(sorted, 0.5), NearestRank.Of(sorted, 0.99),
                    bodyBytes.GetValueOrDefault(e.Key) / 1024.0 / sorted.Length);
            }));
    }
}
