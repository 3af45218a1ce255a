using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>A finished backtest: what it recorded and the figures it is judged by.</summary>
public sealed record BacktestResult(
    BacktestRecording Recording,
    PerformanceSummary Summary,
    IReadOnlyList<MonthlyReturn> Monthly,
    IReadOnlyList<StrategyAttribution> Attribution,
    decimal NettingResidual)
{
    /// <summary>The files <see cref="WriteAsync"/> puts in a backtest's folder.</summary>
    public const string SummaryFile = "summary.json", TradesFile = "trades.csv", EquityFile = "equity.csv", ReportFile = "report.html";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public BacktestSpec Spec => Recording.Spec;

    /// <summary>The figures of a recording: the metrics, the monthly returns and the per-strategy attribution.</summary>
    public static BacktestResult Of(BacktestRecording recording)
    {
        var start = recording.Spec.InitialCash;
        var summary = PerformanceMetrics.Compute(start, recording.Equity, recording.Fills);
        var attribution = recording.Attribution;
        var netPnl = summary.EndEquity - start;
        return new BacktestResult(recording, summary, PerformanceMetrics.MonthlyReturns(start, recording.Equity), attribution,
            netPnl - attribution.Sum(a => a.NetPnl));
    }

    /// <summary>The summary as JSON: the spec, the fill model, the figures, the monthly returns and the attribution (no wall-clock figure, so a rerun writes the same bytes).</summary>
    public string SummaryJson() => JsonSerializer.Serialize(new
    {
        Spec.From,
        Spec.To,
        Symbols = Spec.EffectiveSymbols,
        Spec.Strategies,
        Spec.InitialCash,
        FillModel = Spec.EffectiveFills.Describe(),
        Fills = Spec.EffectiveFills,
        Spec.Settings,
        Recording.Bars,
        Summary,
        Monthly,
        Attribution,
        NettingResidual,
    }, Json);

    /// <summary>Every fill, one line each: <c>time,symbol,side,quantity,price,fee,order_id</c>.</summary>
    public string TradesCsv()
    {
        var csv = new StringBuilder("time,symbol,side,quantity,price,fee,order_id\n");
        foreach (var fill in Recording.Fills)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{fill.Time:yyyy-MM-ddTHH:mm:ssZ},{fill.Symbol},{fill.Side},{fill.Quantity},{fill.Price},{fill.Fee},{fill.OrderId}\n");
        }

        return csv.ToString();
    }

    /// <summary>The account after each market time: <c>time,equity,buy_and_hold,gross_exposure</c>.</summary>
    public string EquityCsv()
    {
        var csv = new StringBuilder("time,equity,buy_and_hold,gross_exposure\n");
        foreach (var sample in Recording.Equity)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{sample.Time:yyyy-MM-ddTHH:mm:ssZ},{sample.Equity},{sample.BuyAndHold},{sample.GrossExposure}\n");
        }

        return csv.ToString();
    }

    public string ReportHtml(string title) => BacktestReport.Render(new BacktestReportModel(
        title, Spec.From, Spec.To, Spec.EffectiveSymbols, Spec.Strategies, Spec.EffectiveFills.Describe(), Spec.InitialCash, Summary, Monthly,
        Recording.Equity, Recording.Prices, Recording.Fills, Attribution, NettingResidual));

    /// <summary>Writes the summary, trades, equity and report into <paramref name="directory"/> (created when missing).</summary>
    public async Task WriteAsync(string directory, string title, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, TradesFile), TradesCsv(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, EquityFile), EquityCsv(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, ReportFile), ReportHtml(title), cancellationToken);
        // Last: a folder with a summary is a finished backtest.
        await File.WriteAllTextAsync(Path.Combine(directory, SummaryFile), SummaryJson(), cancellationToken);
    }
}
