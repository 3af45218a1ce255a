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
/// equity and HTML report into the output folder. Command-line values override the config file's.
/// </summary>
public static class BacktestCommand
{
    public const string Name = "backtest";

    public const string Usage =
        "usage: backtest --config my-strategies.json --from 2021-03-01 --to 2021-04-01 [--symbols BTCUSDT,ETHUSDT] [--out reports/NAME] " +
        "[--data data/binance-usdt-2021-5m] [--cash 100000] [--fee-bps 10] [--slippage-bps 2] [--participation 0.1] [--latency-bars 0]";

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

        BacktestSpec spec;
        HistoricalData data;
        try
        {
            if (!options.TryGetValue("config", out var configPath))
            {
                throw new ArgumentException("--config is required: a JSON file of strategy configs, or of a whole backtest.");
            }

            var configFile = PathResolver.FindExisting(configPath) ?? throw new FileNotFoundException($"--config {configPath}: no such file.");
            var request = Override(BacktestRequest.Parse(await File.ReadAllTextAsync(configFile, cancellationToken)), options);
            var here = BacktestInstallation.From(installation, options.GetValueOrDefault("data"));
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
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or JsonException or UnauthorizedAccessException)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }

        var folder = PathResolver.ForOutput(options.GetValueOrDefault("out")
            ?? Path.Combine("reports", $"{Path.GetFileNameWithoutExtension(options["config"])}-{spec.From:yyyyMMdd}-{spec.To:yyyyMMdd}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backtesting {spec.Strategies.Count} strategies on {string.Join(", ", spec.EffectiveSymbols)} from {spec.From:u} to {spec.To:u}; {spec.EffectiveFills.Describe()}"));
        // The backtest's own warnings (a strategy quarantined, a step that failed) go to the terminal with the progress.
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Error).AddFilter("Microsoft", LogLevel.Error));
        var recording = await BacktestEngine.RunAsync(spec, installation, data, Path.Combine(folder, "audit.jsonl"), new ProgressBar(output), cancellationToken, logging);
        var result = BacktestResult.Of(recording);
        await result.WriteAsync(folder, $"Backtest {Path.GetFileName(folder)}", cancellationToken);
        output.WriteLine();
        output.WriteLine(Describe(result, recording.Elapsed));
        output.WriteLine($"report: {Path.GetFullPath(Path.Combine(folder, BacktestResult.ReportFile))}");
        return 0;
    }

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
