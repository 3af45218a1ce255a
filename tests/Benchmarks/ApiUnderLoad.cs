extern alias clientapi;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using clientapi::TradingOrleans.Client.Api.Security;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// The real API (Client.Api with its co-hosted silo) on Kestrel at a free loopback port, and clients in a process of
/// their own polling every read endpoint — as fast as it answers, or at a fixed rate as dashboards do: does a dashboard
/// polling the API delay an order?
/// </summary>
/// <remarks>
/// Clients that send as fast as the API answers take whatever CPU is left on the machine, so they slow the order path
/// however cheap a read is; a fixed rate asks what reads cost. At a fixed rate a request's latency counts from when it
/// was due, not from when a client that fell behind got to send it (no coordinated omission).
/// </remarks>
public sealed class ApiUnderLoad(IReadOnlyDictionary<string, string?> settings, GrainCallCounter? calls) : WebApplicationFactory<clientapi::Program>
{
    private const string Key = "tok_benchmark-api-load-key";

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

        // As `dotnet run --project Client.Api` runs it; the factory's default, Development, adds the developer exception page.
        builder.UseEnvironment("Production");
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
    /// Runs <paramref name="clients"/> polling clients in a process of their own (<see cref="ApiPollers"/>) until
    /// <paramref name="stop"/>, counting from <paramref name="from"/>: at <paramref name="requestsPerSecond"/> all
    /// together, or as fast as answered when it is 0.
    /// </summary>
    public async Task<Figures> PollAsync(int clients, double requestsPerSecond, string symbol, DateTimeOffset from, CancellationToken stop)
    {
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The harness as it runs now: its apphost, or the dotnet host with its assembly.
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ApiPollers).Assembly.Location);
        }

        foreach (var argument in (string[])["api-poll", "--url", address, "--clients", $"{clients}", "--rate", requestsPerSecond.ToString("R", CultureInfo.InvariantCulture),
                     "--symbol", symbol, "--from", from.ToString("O", CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ApiPollers.KeyVariable] = Key;
        using var pollers = Process.Start(start)!;
        var output = pollers.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = pollers.StandardError.ReadToEndAsync(CancellationToken.None);
        await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);

        // Their standard input closing is the pollers' signal to stop and write their figures.
        pollers.StandardInput.Close();
        await pollers.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (pollers.ExitCode != 0)
        {
            throw new InvalidOperationException($"The API pollers failed ({pollers.ExitCode}): {await errors}");
        }

        return JsonSerializer.Deserialize<Figures>(await output, FiguresJson)
            ?? throw new InvalidOperationException("The API pollers wrote no figures");
    }

    /// <summary>How the pollers' process writes its figures (a percentile of no request is NaN).</summary>
    public static readonly JsonSerializerOptions FiguresJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
