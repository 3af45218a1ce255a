using System.Globalization;
using System.Net;
using System.Text;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A backtest's report as one self-contained HTML page: inline CSS, charts as inline SVG, no outside resource, so it
/// opens offline. Figures are shown as given by the model; only the drawdown curve is derived, for plotting.
/// </summary>
public static class BacktestReport
{
    private const string Missing = "—";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The whole HTML document.</summary>
    public static string Render(BacktestReportModel model)
    {
        var html = new StringBuilder();
        html.Append(Invariant, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Backtest {Html(model.Title)}</title>
            <style>{Style}</style>
            </head>
            <body>

            """);
        html.Append(Header(model))
            .Append(MetricsTable(model.Summary))
            .Append(Section("Equity", EquityChart(model)))
            .Append(Section("Drawdown", DrawdownChart(model)))
            .Append(MonthlyTable(model.Monthly))
            .Append(Section("Prices and fills", string.Concat(model.Symbols.Where(model.Prices.ContainsKey).Select(s => PriceChart(model, s)))))
            .Append(AttributionTable(model))
            .Append(Invariant, $"<script>{RenderCheck}</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Header(BacktestReportModel model) => $"""
        <header>
        <h1>Backtest {Html(model.Title)}</h1>
        <table class="facts">
        <tr><th>Period</th><td>{Time(model.From)} → {Time(model.To)} UTC</td></tr>
        <tr><th>Symbols</th><td>{Html(string.Join(", ", model.Symbols))}</td></tr>
        <tr><th>Fill model</th><td>{Html(model.FillModel)}</td></tr>
        <tr><th>Start equity</th><td>{Money(model.StartEquity)}</td></tr>
        <tr><th>End equity</th><td>{Money(model.Summary.EndEquity)}</td></tr>
        </table>
        <table class="strategies">
        <tr><th>Strategy</th><th>Type</th><th>Symbols</th><th>Parameters</th></tr>
        {string.Concat(model.Strategies.Select(StrategyRow))}</table>
        </header>

        """;

    private static string StrategyRow(StrategyConfig strategy)
    {
        var parameters = strategy.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => string.Create(Invariant, $"{p.Key}={p.Value}"));
        return $"<tr><td>{Html(strategy.Id)}</td><td>{Html(strategy.Type)}</td><td>{Html(string.Join(", ", strategy.Symbols))}</td>"
            + $"<td>{Html(string.Join(", ", parameters))}</td></tr>\n";
    }

    private static string MetricsTable(PerformanceSummary s)
    {
        (string Name, string Value)[] rows =
        [
            ("Total return", Percent(s.TotalReturn)),
            ("Annualised return", Percent(s.AnnualisedReturn)),
            ("Buy-and-hold return", Percent(s.BuyAndHoldReturn)),
            ("Volatility (annualised)", Percent(s.Volatility)),
            ("Sharpe", Ratio(s.Sharpe)),
            ("Sortino", Ratio(s.Sortino)),
            ("Calmar", Ratio(s.Calmar)),
            ("Max drawdown", Percent(s.MaxDrawdown)),
            ("Max drawdown duration", Duration(s.MaxDrawdownDuration)),
            ("Win rate", Percent(s.WinRate)),
            ("Profit factor", Ratio(s.ProfitFactor)),
            ("Average trade", Money(s.AverageTrade)),
            ("Exposure", Percent(s.Exposure)),
            ("Turnover", s.Turnover.ToString("0.00", Invariant) + "×"),
            ("Fees", Money(s.Fees)),
            ("Trades (round trips)", s.TradeCount.ToString(Invariant)),
            ("Fills", s.FillCount.ToString(Invariant)),
        ];
        return Section("Metrics", "<table class=\"metrics\">\n"
            + string.Concat(rows.Select(r => $"<tr><th>{r.Name}</th><td>{r.Value}</td></tr>\n")) + "</table>\n");
    }

    private static string EquityChart(BacktestReportModel model) => SvgLineChart.Render("equity", "Equity vs buy-and-hold",
        [
            new ChartLine("Equity", "equity", [.. model.Equity.Select(e => new ChartPoint(e.Time, (double)e.Equity))]),
            new ChartLine("Buy and hold", "benchmark", [.. model.Equity.Select(e => new ChartPoint(e.Time, (double)e.BuyAndHold))]),
        ],
        [], percent: false);

    /// <summary>Equity over its running peak, minus 1; the first peak is the start equity.</summary>
    private static string DrawdownChart(BacktestReportModel model)
    {
        var peak = model.StartEquity;
        var drawdown = new List<ChartPoint>(model.Equity.Count);
        foreach (var sample in model.Equity)
        {
            peak = Math.Max(peak, sample.Equity);
            drawdown.Add(new ChartPoint(sample.Time, peak > 0 ? (double)(sample.Equity / peak) - 1 : 0));
        }

        return SvgLineChart.Render("drawdown", "Drawdown from the running peak", [new ChartLine("Drawdown", "drawdown", drawdown)], [], percent: true);
    }

    private static string PriceChart(BacktestReportModel model, string symbol) => SvgLineChart.Render("price-" + symbol, $"{symbol}: close, buys and sells",
        [new ChartLine($"{symbol} close", "close", [.. model.Prices[symbol].Select(p => new ChartPoint(p.Time, (double)p.Close))])],
        [.. model.Fills.Where(f => f.Symbol == symbol).Select(f => new ChartMarker(f.Time, (double)f.Price, f.Side))],
        percent: false);

    /// <summary>Years down, months across; a month's cell is green for a gain, red for a loss, empty if not traded.</summary>
    private static string MonthlyTable(IReadOnlyList<MonthlyReturn> monthly)
    {
        var returns = monthly.ToDictionary(m => (m.Year, m.Month), m => m.Return);
        var rows = monthly.Select(m => m.Year).Distinct().Order().Select(year =>
            $"<tr><th>{year.ToString(Invariant)}</th>"
            + string.Concat(Enumerable.Range(1, 12).Select(month => MonthCell(returns.TryGetValue((year, month), out var r) ? r : null)))
            + "</tr>\n");
        return Section("Monthly returns", "<table class=\"monthly\">\n<tr><th>Year</th>"
            + string.Concat(MonthNames.Select(m => $"<th>{m}</th>")) + "</tr>\n" + string.Concat(rows) + "</table>\n");
    }

    private static string MonthCell(double? monthReturn) => monthReturn switch
    {
        null => "<td></td>",
        > 0 => $"<td class=\"gain\">{Percent(monthReturn)}</td>",
        < 0 => $"<td class=\"loss\">{Percent(monthReturn)}</td>",
        _ => $"<td>{Percent(monthReturn)}</td>",
    };

    /// <summary>Each strategy's shadow-book result, then what netting the votes into one position made beyond their sum.</summary>
    private static string AttributionTable(BacktestReportModel model)
    {
        var rows = model.Attribution.Select(a =>
            $"<tr><td>{Html(a.StrategyId)}</td><td>{Html(a.Type)}</td><td>{Money(a.NetPnl)}</td><td>{Money(a.Fees)}</td><td>{a.Trades.ToString(Invariant)}</td></tr>\n");
        return Section("Attribution by strategy", "<table class=\"attribution\">\n"
            + "<tr><th>Strategy</th><th>Type</th><th>Net PnL</th><th>Fees</th><th>Trades</th></tr>\n"
            + string.Concat(rows)
            + $"<tr class=\"residual\"><td>Netting residual</td><td></td><td>{Money(model.NettingResidual)}</td><td></td><td></td></tr>\n"
            + "</table>\n");
    }

    private static string Section(string heading, string body) => $"<section>\n<h2>{heading}</h2>\n{body}</section>\n";

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.00", Invariant) + " %" : Missing;

    private static string Ratio(double? ratio) => ratio?.ToString("0.00", Invariant) ?? Missing;

    private static string Money(decimal? amount) => amount?.ToString("#,0.00", Invariant) ?? Missing;

    private static string Duration(TimeSpan duration) => duration >= TimeSpan.FromDays(1)
        ? string.Create(Invariant, $"{(int)duration.TotalDays} d {duration.Hours} h")
        : string.Create(Invariant, $"{duration.Hours} h {duration.Minutes} min");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant);

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font-family:system-ui,sans-serif;color:#222;max-width:1000px;margin:2rem auto;padding:0 1rem}
        h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
        th,td{padding:.2rem .6rem;border-bottom:1px solid #e2e2e2;text-align:right;white-space:nowrap}
        th:first-child,td:first-child,.facts td,.strategies td{text-align:left}
        td.gain{background:#d8f3df;color:#135a2a}td.loss{background:#fbe0de;color:#80201a}
        tr.residual td{font-style:italic}
        svg.chart{display:block;width:100%;height:auto;margin:.5rem 0 1.5rem}
        .series{fill:none;stroke-width:1.5;stroke-linejoin:round}
        .series.equity{stroke:#1f6feb}.series.benchmark{stroke:#8a8a8a;stroke-dasharray:5 3}
        .series.drawdown{stroke:#c62828}.series.close{stroke:#444}
        .legend{font-size:12px}.legend.equity{fill:#1f6feb}.legend.benchmark{fill:#8a8a8a}.legend.drawdown{fill:#c62828}.legend.close{fill:#444}
        .fill.buy{fill:#1a7f37}.fill.sell{fill:#c62828}
        .axis{fill:none;stroke:#888}.grid{stroke:#eee}.tick{font-size:11px;fill:#555}
        """;

    /// <summary>
    /// Marks each chart <c>data-rendered="true"</c> once every line in it has a non-empty box, "false" otherwise: what
    /// the headless-browser test reads.
    /// </summary>
    private const string RenderCheck = """
        addEventListener("load", () => {
          for (const chart of document.querySelectorAll("svg.chart")) {
            const lines = [...chart.querySelectorAll(".series")];
            const drawn = lines.length > 0 && lines.every(line => { const box = line.getBBox(); return box.width > 0 || box.height > 0; });
            chart.setAttribute("data-rendered", String(drawn));
          }
        });
        """;
}
