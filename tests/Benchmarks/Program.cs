using System.Globalization;
using TradingOrleans.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- pipeline [--stream broadcast|kafka] [--symbols BTCUSDT,ETHUSDT]
//     [--from 2021-01-01] [--to 2021-01-08] [--speed 0] [--out result.json]
// dotnet run -c Release --project tests/Benchmarks -- micro [BenchmarkDotNet arguments, e.g. --filter '*Risk*']
// dotnet run -c Release --project tests/Benchmarks -- ticks [--symbols 50] [--rate 10000] [--strategies 32] [--seconds 30] [--warmup 5]
//     [--bar 00:00:01] [--stream broadcast|kafka] [--await-delivery true|false] [--alloc-profile] [--count-calls] [--api-load 0] [--api-rate 0]
//     [--out result.json]
//     [--set Trading:Streaming:Kafka:LingerMs=1 …] (any configuration key, repeatable)
// dotnet run -c Release --project tests/Benchmarks -- max-rate [--symbols 50] [--strategies 32] [--start 5000] [--seconds 30] [--warmup 10]
//     [--p99 1000] [--bisections 3] [--stream broadcast|kafka] [--out result.json]
// dotnet run -c Release --project tests/Benchmarks -- strategies [--symbols BTCUSDT,ETHUSDT,LTCUSDT,BNBUSDT] [--types sma-crossover,…]
//     [--candles 200000] [--out result.json]
// (api-poll is the polling clients' process that `ticks --api-load` starts; it is not run by hand.)
var command = args.FirstOrDefault() ?? "pipeline";

// A run with no order has no percentiles: NaN is written as "NaN" rather than failing the whole run.
var jsonOptions = new System.Text.Json.JsonSerializerOptions
{
    WriteIndented = true,
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
};
if (command == "micro")
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(StrategyBenchmarks).Assembly).Run([.. args.Skip(1)]);
    return 0;
}

if (command == "ticks")
{
    var load = await TickLoad.RunAsync(
        int.Parse(Option("symbols", "50"), CultureInfo.InvariantCulture),
        double.Parse(Option("rate", "10000"), CultureInfo.InvariantCulture),
        int.Parse(Option("strategies", "32"), CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Option("seconds", "30"), CultureInfo.InvariantCulture)),
        TimeSpan.Parse(Option("bar", "00:00:01"), CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Option("warmup", "5"), CultureInfo.InvariantCulture)),
        Option("stream", "broadcast"),
        bool.Parse(Option("await-delivery", "true")),
        args.Contains("--alloc-profile"),
        Settings(),
        args.Contains("--count-calls"),
        int.Parse(Option("api-load", "0"), CultureInfo.InvariantCulture),
        double.Parse(Option("api-rate", "0"), CultureInfo.InvariantCulture));
    await Write(System.Text.Json.JsonSerializer.Serialize(load, jsonOptions));
    return 0;
}

if (command == "api-poll")
{
    // The polling clients of `ticks --api-load`, started by it in a process of their own: they poll until their
    // standard input closes, then write their figures to standard output.
    using var stop = new CancellationTokenSource();
    _ = Task.Run(async () =>
    {
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
    });
    var figures = await ApiPollers.RunAsync(
        new Uri(Option("url", "")),
        Environment.GetEnvironmentVariable(ApiPollers.KeyVariable) ?? "",
        int.Parse(Option("clients", "1"), CultureInfo.InvariantCulture),
        double.Parse(Option("rate", "0"), CultureInfo.InvariantCulture),
        Option("symbol", ""),
        DateTimeOffset.Parse(Option("from", ""), CultureInfo.InvariantCulture),
        stop.Token);
    Console.Out.Write(System.Text.Json.JsonSerializer.Serialize(figures, ApiUnderLoad.FiguresJson));
    return 0;
}

if (command == "max-rate")
{
    var search = await MaxRateSearch.RunAsync(
        int.Parse(Option("symbols", "50"), CultureInfo.InvariantCulture),
        int.Parse(Option("strategies", "32"), CultureInfo.InvariantCulture),
        double.Parse(Option("start", "5000"), CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Option("seconds", "30"), CultureInfo.InvariantCulture)),
        TimeSpan.FromSeconds(double.Parse(Option("warmup", "10"), CultureInfo.InvariantCulture)),
        double.Parse(Option("p99", "1000"), CultureInfo.InvariantCulture),
        int.Parse(Option("bisections", "3"), CultureInfo.InvariantCulture),
        Option("stream", "broadcast"));
    await Write(System.Text.Json.JsonSerializer.Serialize(search, jsonOptions));
    return 0;
}

if (command == "backtest")
{
    // dotnet run -c Release --project tests/Benchmarks -- backtest [--symbols …] [--from 2021-01-01] [--to 2021-02-01] [--strategies 32] [--count-calls]
    var backtest = await BacktestSpeed.RunAsync(
        Option("symbols", "BTCUSDT,ETHUSDT,LTCUSDT,BNBUSDT").Split(','),
        DateTimeOffset.Parse(Option("from", "2021-01-01"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        DateTimeOffset.Parse(Option("to", "2021-02-01"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        int.Parse(Option("strategies", "0"), CultureInfo.InvariantCulture),
        args.Contains("--count-calls"));
    await Write(System.Text.Json.JsonSerializer.Serialize(backtest, jsonOptions));
    return 0;
}

if (command == "strategies")
{
    var replay = StrategyReplay.Run(
        Option("symbols", "BTCUSDT,ETHUSDT,LTCUSDT,BNBUSDT").Split(','),
        [.. Option("types", "").Split(',', StringSplitOptions.RemoveEmptyEntries)],
        int.Parse(Option("candles", "200000"), CultureInfo.InvariantCulture));
    await Write(System.Text.Json.JsonSerializer.Serialize(replay, jsonOptions));
    return 0;
}

if (command != "pipeline")
{
    Console.Error.WriteLine($"Unknown command '{command}'. Commands: pipeline, ticks, max-rate, strategies, backtest, micro");
    return 2;
}

// Every --set Key=Value pair: configuration overrides for the silo under load.
Dictionary<string, string?> Settings() =>
    args.Select((arg, i) => (arg, i)).Where(a => a.arg == "--set" && a.i + 1 < args.Length)
        .Select(a => args[a.i + 1].Split('=', 2))
        .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : null);

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, $"--{name}");
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var stream = Option("stream", "broadcast");
var symbols = Option("symbols", "BTCUSDT,ETHUSDT,LTCUSDT,BNBUSDT").Split(',');
var from = DateTimeOffset.Parse(Option("from", "2021-01-01"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
var to = DateTimeOffset.Parse(Option("to", "2021-01-08"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
var speed = double.Parse(Option("speed", "0"), CultureInfo.InvariantCulture);

var result = await PipelineLatency.RunAsync(stream, symbols, from, to, speed);
await Write(System.Text.Json.JsonSerializer.Serialize(result, jsonOptions));
return 0;

async Task Write(string json)
{
    Console.WriteLine(json);
    if (Option("out", "") is { Length: > 0 } path)
    {
        await File.WriteAllTextAsync(path, json);
    }
}
