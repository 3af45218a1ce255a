extern alias clientapi;

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using clientapi::TradingOrleans.Client.Api.Security;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// The real API (Client.Api with its co-hosted silo) on Kestrel at a free loopback port, and clients polling every
/// read endpoint — as fast as it answers, or at a fixed rate as dashboards do: does a dashboard polling the API delay
/// an order?
/// </summary>
/// <remarks>
/// Clients that send as fast as the API answers take whatever CPU is left on the machine, so they slow the order path
/// however cheap a read is; a fixed rate asks what reads cost. At a fixed rate a request's latency counts from when it
/// was due, not from when a client that fell behind got to send it (no coordinated omission).
/// </remarks>
public sealed class ApiUnderLoad(IReadOnlyDictionary<string, string?> settings, GrainCallCounter? calls) : WebApplicationFactory<clientapi::Program>
{
    private const string Key = "tok_benchmark-api-load-key";

    /// <summary>Every GET of the trading API without a path parameter, and the two with one, on the first symbol.</summary>
    private static string[] ReadEndpoints(string symbol) =>
    [
        "/api/v1/portfolio", "/api/v1/portfolio/allocation", "/api/v1/portfolio/equity-curve", "/api/v1/portfolio/rebalance",
        "/api/v1/risk", "/api/v1/risk/limits", "/api/v1/orders", "/api/v1/strategies", "/api/v1/strategies/types",
        "/api/v1/pairs", "/api/v1/models", "/api/v1/audit", "/api/v1/reports/trades", $"/api/v1/signals/{symbol}",
    ];

    /// <summary>What the polling clients saw after the warm-up.</summary>
    /// <param name="TargetRequestsPerSecond">The fixed rate asked for, all clients together; 0 when they polled as fast as answered.</param>
    /// <param name="NotSuccessful">Answers other than 2xx, by path and status code.</param>
    public sealed record Figures(int Clients, double TargetRequestsPerSecond, long Requests, double RequestsPerSecond, IReadOnlyDictionary<string, long> NotSuccessful,
        double P50Milliseconds, double P99Milliseconds, IReadOnlyDictionary<string, EndpointFigures> ByEndpoint);

    /// <param name="BodyKilobytes">The mean size of the endpoint's answers, as read.</param>
    public sealed record EndpointFigures(long Requests, double P50Milliseconds, double P99Milliseconds, double BodyKilobytes);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Trading:Api:Keys:0:Name", "benchmark-reader");
        builder.UseSetting("Trading:Api:Keys:0:Role", nameof(ApiRole.Admin));
        builder.UseSetting("Trading:Api:Keys:0:Sha256", Convert.ToHexStringLower(ApiKeyStore.Hash(Key)));
        // The polling is the load under test: the per-key request limit would turn most of it into 429s.
        builder.UseSetting("Trading:Api:RequestsPerMinute", "1000000");
        if (calls is not null)
        {
            // What ISiloBuilder.AddIncomingGrainCallFilter registers: the silo takes every filter in the container.
            builder.ConfigureServices(services => services.AddSingleton<IIncomingGrainCallFilter>(calls));
        }
    }

    /// <summary>Starts the API on Kestrel; its services are the silo's.</summary>
    public IServiceProvider Start()
    {
        // The factory looks for the API's folder by its assembly name; ours is Client.Api, found from the working folder up.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRADINGORLEANS_CLIENT_API", ApiFolder());
        UseKestrel(0);
        StartServer();
        return Services;
    }

    private static string ApiFolder()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Client.Api", "Client.Api.csproj")))
            {
                return Path.Combine(folder.FullName, "Client.Api");
            }
        }

        throw new DirectoryNotFoundException("Client.Api/ above the working folder: run the harness from the repository");
    }

    /// <summary>
    /// Runs <paramref name="clients"/> polling loops until <paramref name="stop"/>, counting from <paramref name="from"/>:
    /// at <paramref name="requestsPerSecond"/> all together, or as fast as answered when it is 0.
    /// </summary>
    public async Task<Figures> PollAsync(int clients, double requestsPerSecond, string symbol, DateTimeOffset from, CancellationToken stop)
    {
        var latencies = new ConcurrentDictionary<string, ConcurrentQueue<double>>();
        var bodyBytes = new ConcurrentDictionary<string, long>();
        var notSuccessful = new ConcurrentDictionary<string, long>();
        var endpoints = ReadEndpoints(symbol);
        var interval = requestsPerSecond > 0 ? TimeSpan.FromSeconds(clients / requestsPerSecond) : TimeSpan.Zero;

        async Task Poll(int client)
        {
            using var http = CreateClient();

            // Each body is read into one buffer and dropped: the pollers share the process with the service, and what a
            // dashboard in its own process would allocate for a body must not count against the order path here.
            var buffer = new byte[64 * 1024];
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, Key);
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
        return new Figures(clients, requestsPerSecond, all.Length, all.Length / seconds,
            notSuccessful.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
            NearestRank.Of(all, 0.5), NearestRank.Of(all, 0.99),
            latencies.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e =>
            {
                var sorted = e.Value.Order().ToArray();
                return new EndpointFigures(sorted.Length, NearestRank.Of(sorted, 0.5), NearestRank.Of(sorted, 0.99),
                    bodyBytes.GetValueOrDefault(e.Key) / 1024.0 / sorted.Length);
            }));
    }
}
