using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// <c>backtest --config my-strategies.json --from 2021-03-01 --to 2021-04-01 [--symbols BTCUSDT,ETHUSDT] [--out reports/…]
/// [--data data/binance-usdt-2021-5m] [--cash 100000] [--fee-bps 10] [--slippage-bps 2] [--participation 0.1]
/// [--latency-bars 0]</c>: runs the backtest with a progress bar, prints the summary and writes the summary, trades,
/// equity and HTML report into the output folder. Command-line values override the config file's. With
/// <c>--sweep "fast=5..30:5 slow=20..100:20" [--confirm 3] [--walk-forward 2] [--rank sharpe|return]</c> it sweeps the
/// config's one strategy instead (<see cref="BacktestSweep"/>) and writes the sweep's ranking and report.
/// </summary>
public static class BacktestCommand
{
    public const string Name = "backtest";

    public const string Usage =
        "usage: backtest --config my-strategies.json --from 2021-03-01 --to 2021-04-01 [--symbols BTCUSDT,ETHUSDT] [--out reports/NAME] " +
        "[--data data/binance-usdt-2021-5m] [--cash 100000] [--fee-bps 10] [--slippage-bps 2] [--participation 0.1] [--latency-bars 0] " +
        "[--sweep \"fast=5..30:5 slow=20..100:20\" [--confirm 3] [--walk-forward 2] [--rank sharpe|return]]";

    public static async Task<int> RunAsync(string[] args, IConfiguration installation, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length % 2 != 0 || args.Where((_, i) => i % 2 == 0).Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            output.WriteLine(Usage);
            return 2;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            options[args[i][2..]] = args[i + 1];
        }

        int? Whole(string name) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        BacktestSpec spec;
        HistoricalData data;
        BacktestInstallation here;
        SweepSettings? sweep = null;
        try
        {
            if (!options.TryGetValue("config", out var configPath))
            {
                throw new ArgumentException("--config is required: a JSON file of strategy configs, or of a whole backtest.");
            }

            var configFile = PathResolver.FindExisting(configPath) ?? throw new FileNotFoundException($"--config {configPath}: no such file.");
            var request = Override(BacktestRequest.Parse(await File.ReadAllTextAsync(configFile, cancellationToken)), options);
            here = BacktestInstallation.From(installation, options.GetValueOrDefault("data"));
            data = here.Data;
            var (parsed, missing) = request.ToSpec();
            var errors = parsed is null ? missing : here.Validate(parsed);
            if (errors.Count > 0)
            {
                output.WriteLine("The backtest is not valid:");
                foreach (var (field, messages) in errors)
                {
                    output.WriteLine($"  {field}: {string.Join(" ", messages)}");
                }

                return 2;
            }

            spec = parsed!;
            if (options.TryGetValue("sweep", out var grid))
            {
                var rank = options.GetValueOrDefault("rank", "sharpe") switch
                {
                    "sharpe" => SweepRanking.Sharpe,
                    "return" => SweepRanking.Return,
                    var other => throw new FormatException($"--rank {other}: sharpe or return."),
                };
                var (settings, problems) = new BacktestSweepRequest(grid, Whole("confirm"), Whole("walk-forward"), rank).ToSettings(spec);
                sweep = settings ?? throw new ArgumentException(string.Join(" ", problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or JsonException or UnauthorizedAccessException)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }

        var folder = PathResolver.ForOutput(options.GetValueOrDefault("out")
            ?? Path.Combine("reports", $"{Path.GetFileNameWithoutExtension(options["config"])}-{(sweep is null ? "" : "sweep-")}{spec.From:yyyyMMdd}-{spec.To:yyyyMMdd}"));
        if (sweep is not null)
        {
            return await SweepAsync(spec, sweep, installation, here, folder, output, cancellationToken);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backtesting {spec.Strategies.Count} strategies on {string.Join(", ", spec.EffectiveSymbols)} from {spec.From:u} to {spec.To:u}; {spec.EffectiveFills.Describe()}"));
        using var logging = TerminalWarnings();
        var recording = await BacktestEngine.RunAsync(spec, installation, data, Path.Combine(folder, "audit.jsonl"), new ProgressBar(output), cancellationToken, logging);
        var result = BacktestResult.Of(recording);
        await result.WriteAsync(folder, $"Backtest {Path.GetFileName(folder)}", cancellationToken);
        output.WriteLine();
        output.WriteLine(Describe(result, recording.Elapsed));
        output.WriteLine($"report: {Path.GetFullPath(Path.Combine(folder, BacktestResult.ReportFile))}");
        return 0;
    }

    private static async Task<int> SweepAsync(
        BacktestSpec spec, SweepSettings sweep, IConfiguration installation, BacktestInstallation here, string folder, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweeping {spec.Strategies[0].Id} ({spec.Strategies[0].Type}) over {sweep.Grid.Count} combinations on {string.Join(", ", spec.EffectiveSymbols)} from {spec.From:u} to {spec.To:u}; {spec.EffectiveFills.Describe()}"));
        using var logging = TerminalWarnings();
        var progress = new Progress<SweepProgress>(p => output.Write(string.Create(CultureInfo.InvariantCulture, $"\r{p.Phase}: {p.Done}/{p.Total}          ")));
        var result = await BacktestSweep.RunAsync(spec, sweep, installation, here, progress, cancellationToken, logging);
        await SweepReport.WriteAsync(result, folder, cancellationToken);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Combinations} combinations ({result.Refused.Count} refused by the strategy's rules) screened in {result.ScreenTime.TotalSeconds:0.0} s; {result.Elapsed.TotalSeconds:0.0} s in all"));
        output.WriteLine("rank  parameters                      return    Sharpe   confirmed return, Sharpe");
        foreach (var c in result.Ranking.Take(10))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Rank,4}  {c.Parameters,-30} {c.Screen.TotalReturn,8:+0.00%;-0.00%}  {c.Screen.Sharpe,7:0.00}   {(c.Confirmed is { } f ? $"{f.TotalReturn:+0.00%;-0.00%}, {f.Sharpe:0.00}" : "")}"));
        }

        foreach (var f in result.Folds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"walk-forward {f.Fold}: best in-sample {f.Parameters}: {f.InSample.TotalReturn:+0.00%;-0.00%} in-sample, {f.OutOfSample.TotalReturn:+0.00%;-0.00%} out-of-sample (rank {f.OutOfSampleRank} there; ρ {f.RankCorrelation:0.00})"));
        }

        output.WriteLine($"report: {Path.GetFullPath(Path.Combine(folder, SweepReport.ReportFile))}");
        return 0;
    }

    /// <summary>The backtest's own warnings (a strategy quarantined, a step that failed) to the terminal with the progress; the frameworks' errors only.</summary>
    private static ILoggerFactory TerminalWarnings() => LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Orleans", LogLevel.Error).AddFilter("Microsoft", LogLevel.Error));

    private static BacktestRequest Override(BacktestRequest request, Dictionary<string, string> options)
    {
        DateTimeOffset? Date(string name) => options.TryGetValue(name, out var text)
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
        decimal? Number(string name) => options.TryGetValue(name, out var text) ? decimal.Parse(text, CultureInfo.InvariantCulture) : null;
        var fills = request.Fills ?? new BacktestFills();
        return request with
        {
            From = Date("from") ?? request.From,
            To = Date("to") ?? request.To,
            Symbols = options.TryGetValue("symbols", out var symbols) ? symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : request.Symbols,
            InitialCash = Number("cash") ?? request.InitialCash,
            Fills = fills with
            {
                FeeBps = Number("fee-bps") ?? fills.FeeBps,
                SlippageBps = Number("slippage-bps") ?? fills.SlippageBps,
                ParticipationCap = (double?)Number("participation") ?? fills.ParticipationCap,
                LatencyBars = (int?)Number("latency-bars") ?? fills.LatencyBars,
            },
        };
    }

    /// <summary>The summary a terminal shows: the headline figures, then the attribution.</summary>
    public static string Describe(BacktestResult result, TimeSpan elapsed)
    {
        var s = result.Summary;
        static string Percent(double? value) => value is { } v ? v.ToString("+0.00%;-0.00%", CultureInfo.InvariantCulture) : "—";
        static string Share(double? value) => value is { } v ? v.ToString("0.00%", CultureInfo.InvariantCulture) : "—";
        static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{result.Recording.Bars:N0} bars in {elapsed.TotalSeconds:0.0} s ({result.Recording.Bars / Math.Max(elapsed.TotalSeconds, 1e-9):N0} bars/s)"),
            string.Create(CultureInfo.InvariantCulture, $"equity        {s.StartEquity:N2} → {s.EndEquity:N2}"),
            $"return        {Percent(s.TotalReturn)} total, {Percent(s.AnnualisedReturn)} annualised; buy and hold {Percent(s.BuyAndHoldReturn)}",
            $"risk          volatility {Share(s.Volatility)}, Sharpe {Ratio(s.Sharpe)}, Sortino {Ratio(s.Sortino)}, Calmar {Ratio(s.Calmar)}",
            string.Create(CultureInfo.InvariantCulture, $"drawdown      {Percent(s.MaxDrawdown)}, longest {s.MaxDrawdownDuration.TotalDays:0.0} days"),
            string.Create(CultureInfo.InvariantCulture,
                $"trades        {s.TradeCount} round trips ({s.FillCount} fills), win rate {Share(s.WinRate)}, profit factor {Ratio(s.ProfitFactor)}, average {s.AverageTrade:N2}"),
            string.Create(CultureInfo.InvariantCulture, $"costs         fees {s.Fees:N2}, turnover {s.Turnover:0.0}×, exposure {Share(s.Exposure)}"),
            "attribution (shadow book per strategy, after fees):",
        };
        lines.AddRange(result.Attribution.Select(a => string.Create(CultureInfo.InvariantCulture, $"  {a.StrategyId,-24} {a.NetPnl,14:N2}  ({a.Trades} trades, fees {a.Fees:N2})")));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {"netting residual",-24} {result.NettingResidual,14:N2}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Bars done, bars per second and the time left, redrawn on one line.</summary>
    private sealed class ProgressBar(TextWriter output) : IProgress<BacktestProgress>
    {
        private const int Width = 30;

        public void Report(BacktestProgress value)
        {
            var done = value.BarsTotal > 0 ? Math.Clamp((double)value.BarsDone / value.BarsTotal, 0, 1) : 1;
            var filled = (int)Math.Round(done * Width);
            var eta = value.Remaining is { } left ? left.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "—";
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.BarsDone:N0}/{value.BarsTotal:N0} bars  {value.BarsPerSecond:N0} bars/s  ETA {eta}  "));
        }
    }
}
