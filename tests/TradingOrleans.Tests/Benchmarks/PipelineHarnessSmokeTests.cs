using System.Diagnostics;
using System.Text.Json;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Benchmarks;

/// <summary>The latency harness runs and writes its JSON. It asserts no timing: figures come from benchmark runs.</summary>
public sealed class PipelineHarnessSmokeTests
{
    [Fact]
    public async Task The_pipeline_harness_replays_two_days_and_writes_its_result()
    {
        var (result, stdout) = await RunHarness("pipeline", "--symbols", "BTCUSDT,ETHUSDT", "--from", "2021-01-01", "--to", "2021-01-03");

        Assert.Equal(1152, result.GetProperty("Bars").GetInt32()); // 2 days × 288 bars × 2 symbols (the default SMA votes from its 288th bar)
        Assert.True(result.GetProperty("Orders").GetInt32() > 0);
        Assert.True(result.GetProperty("P50Microseconds").GetDouble() > 0);
        Assert.Contains("\"Stream\": \"broadcast\"", stdout);
    }

    [Fact]
    public async Task The_tick_load_harness_runs_a_few_seconds_and_writes_its_result()
    {
        var (result, _) = await RunHarness("ticks", "--symbols", "5", "--rate", "500", "--strategies", "4", "--seconds", "3", "--warmup", "0", "--count-calls", "--api-load", "2", "--api-rate", "20");

        Assert.Equal(5, result.GetProperty("Symbols").GetInt32());
        Assert.True(result.GetProperty("Ticks").GetInt64() > 0);
        // The process's CPU is always measured; a second's burst only when the sampler woke in time, which a loaded
        // machine may not allow in a 3-second run.
        Assert.True(result.GetProperty("Cpu").GetProperty("ProcessCpuCores").GetDouble() > 0);
        Assert.InRange(result.GetProperty("Cpu").GetProperty("Seconds").GetInt32(), 0, 3);
        Assert.True(result.GetProperty("GrainCallsPerOrder").TryGetProperty("IBroadcastChannelConsumerExtension.OnPublished", out _));
        // Two clients polled every read endpoint of the real API, at most 20 requests a second together (a machine busy
        // with other work may not reach that in 3 seconds: 5.6/s was seen during parallel builds); none failed (a 404
        // is "no rebalance has run yet").
        var api = result.GetProperty("ApiLoad");
        Assert.InRange(api.GetProperty("RequestsPerSecond").GetDouble(), 0.5, 30);
        // Each client walks the endpoints in turn from its own start: the first is polled whatever the machine's load
        // (a loaded run made fewer than the 7 requests a client needs to reach /orders).
        var portfolio = api.GetProperty("ByEndpoint").GetProperty("/api/v1/portfolio");
        Assert.True(portfolio.GetProperty("Requests").GetInt64() > 0);
        Assert.True(portfolio.GetProperty("BodyKilobytes").GetDouble() > 0, "each answer's body is read");
        Assert.All(api.GetProperty("NotSuccessful").EnumerateObject(), answer => Assert.Equal("/api/v1/portfolio/rebalance 404", answer.Name));
    }

    [Fact]
    public async Task The_tick_load_harness_runs_through_kafka_on_the_mock_cluster()
    {
        var (result, _) = await RunHarness("ticks", "--stream", "kafka", "--symbols", "3", "--rate", "200", "--strategies", "2", "--seconds", "3", "--warmup", "0");

        Assert.Equal("kafka", result.GetProperty("Stream").GetString());
        Assert.True(result.GetProperty("Ticks").GetInt64() > 0);
        // The mock's own produce→consume floor, measured after the pipeline at the same rate: every record back.
        var floor = result.GetProperty("KafkaFloor");
        Assert.Equal(600, floor.GetProperty("Records").GetInt32());
        Assert.True(floor.GetProperty("P99Microseconds").GetDouble() >= floor.GetProperty("P50Microseconds").GetDouble());
    }

    [Fact]
    public async Task The_max_rate_search_reports_its_runs()
    {
        // One short run at a rate a 3-second run cannot reach: the search stops at once and says nothing was sustained.
        var (result, _) = await RunHarness("max-rate", "--symbols", "3", "--strategies", "2", "--start", "50000000", "--seconds", "2", "--warmup", "0");

        var run = Assert.Single(result.GetProperty("Runs").EnumerateArray());
        Assert.False(run.GetProperty("Sustained").GetBoolean());
        Assert.Equal(0, result.GetProperty("MaxSustainableTicksPerSecond").GetDouble());
    }

    [Fact]
    public async Task The_strategy_replay_harness_runs_the_library_and_writes_its_result()
    {
        var (result, _) = await RunHarness("strategies", "--symbols", "BTCUSDT,ETHUSDT", "--candles", "1000");

        Assert.Equal(2_000, result.GetProperty("Candles").GetInt64());
        Assert.True(result.GetProperty("StrategyTypes").GetArrayLength() >= 30);
        Assert.True(result.GetProperty("Signals").GetInt64() > 0);
    }

    /// <summary>
    /// Runs a harness command with <c>dotnet run</c> (<c>dotnet test</c> builds only the test projects' dependencies,
    /// so this also builds it if needed) and returns the JSON it wrote and its standard output.
    /// </summary>
    private static async Task<(JsonElement Result, string Stdout)> RunHarness(params string[] arguments)
    {
        var project = PathResolver.FindExisting("tests/Benchmarks/TradingOrleans.Benchmarks.csproj")
            ?? throw new FileNotFoundException("tests/Benchmarks/TradingOrleans.Benchmarks.csproj");
        var output = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "result.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["run", "--project", project, "--", .. arguments, "--out", output])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(process.ExitCode == 0, $"harness failed: {await stderr}");
        return (JsonDocument.Parse(await File.ReadAllTextAsync(output)).RootElement.Clone(), await stdout);
    }
}
