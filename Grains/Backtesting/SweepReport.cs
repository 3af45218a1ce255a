using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A sweep's files: <c>sweep.json</c> (everything), <c>ranking.csv</c> (every combination, best first) and
/// <c>report.html</c> (one self-contained page: the ranking with the confirmed figures, and the walk-forward folds with
/// in-sample against out-of-sample, where overfitting shows).
/// </summary>
public static class SweepReport
{
    public const string JsonFile = "sweep.json", RankingFile = "ranking.csv", ReportFile = "report.html";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(SweepResult result, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, RankingFile), RankingCsv(result), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, ReportFile), Html(result), cancellationToken);
        // Last: a folder with sweep.json is complete.
        await File.WriteAllTextAsync(Path.Combine(folder, JsonFile), Json(result), cancellationToken);
    }

    public static string Json(SweepResult result) => JsonSerializer.Serialize(new
    {
        result.Spec.From,
        result.Spec.To,
        Symbols = result.Spec.EffectiveSymbols,
        Strategy = result.Spec.Strategies[0],
        Fills = result.Spec.EffectiveFills.Describe(),
        Grid = result.Settings.Grid.Axes.Select(a => new { a.Name, a.Values }),
        result.Settings.Confirm,
        result.Settings.WalkForwardFolds,
        RankBy = result.Settings.RankBy.ToString(),
        result.Combinations,
        Refused = result.Refused.Select(r => new { r.Parameters, r.Reason }),
        Ranking = result.Ranking.Select(c => new { c.Rank, c.Parameters, Values = c.Config.Parameters, c.Screen, c.Confirmed }),
        Folds = result.Folds,
        ScreenSeconds = result.ScreenTime.TotalSeconds,
        ElapsedSeconds = result.Elapsed.TotalSeconds,
    }, BacktestResult.Json);

    public static string RankingCsv(SweepResult result)
    {
        var csv = new StringBuilder("rank,parameters,screen_total_return,screen_sharpe,screen_max_drawdown,screen_trades,screen_fees,confirmed_total_return,confirmed_sharpe\n");
        foreach (var c in result.Ranking)
        {
            csv.Append(Invariant, $"{c.Rank},\"{c.Parameters}\",{c.Screen.TotalReturn:R},{c.Screen.Sharpe?.ToString("R", Invariant)},{c.Screen.MaxDrawdown:R},")
                .Append(Invariant, $"{c.Screen.TradeCount},{c.Screen.Fees},{c.Confirmed?.TotalReturn.ToString("R", Invariant)},{c.Confirmed?.Sharpe?.ToString("R", Invariant)}\n");
        }

        return csv.ToString();
    }

    public static string Html(SweepResult result)
    {
        var spec = result.Spec;
        var strategy = spec.Strategies[0];
        var html = new StringBuilder();
        html.Append(Invariant, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sweep {{Encode(strategy.Id)}}</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;color:#222} table{border-collapse:collapse;margin:1em 0}
            td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#f3f3f3} td.l,th.l{text-align:left}
            .neg{color:#b00} caption{text-align:left;font-weight:bold;padding:4px 0}</style></head><body>
            <h1>Sweep of {{Encode(strategy.Type)}} ({{Encode(strategy.Id)}})</h1>
            <p>{{spec.From:u}} → {{spec.To:u}} on {{Encode(string.Join(", ", spec.EffectiveSymbols))}}; {{Encode(spec.EffectiveFills.Describe())}}.
            {{result.Combinations}} combinations of {{Encode(Axes(result))}},
            {{result.Refused.Count}} refused by the strategy's rules; ranked by {{result.Settings.RankBy}} on the fast path
            (the strategy, its vote and its shadow book: no risk limits, volume cap or lot rounding), the best {{result.Settings.Confirm}}
            confirmed through the full pipeline. Screened in {{result.ScreenTime.TotalSeconds:0.0}} s; {{result.Elapsed.TotalSeconds:0.0}} s in all.</p>

            """);

        if (result.Folds.Count > 0)
        {
            html.Append("""<table><caption>Walk-forward: each window's best, tested on the next window</caption><tr><th>Fold</th><th class="l">In-sample</th><th class="l">Out-of-sample</th><th class="l">Best in-sample</th><th>In-sample return</th><th>In-sample Sharpe</th><th>Out-of-sample return (full pipeline)</th><th>Out-of-sample Sharpe</th><th>Its out-of-sample rank</th><th>Rank correlation ρ</th></tr>""").Append('\n');
            foreach (var f in result.Folds)
            {
                html.Append(Invariant, $"<tr><td>{f.Fold}</td><td class=\"l\">{f.InSampleFrom:yyyy-MM-dd HH:mm} → {f.OutOfSampleFrom:yyyy-MM-dd HH:mm}</td>")
                    .Append(Invariant, $"<td class=\"l\">{f.OutOfSampleFrom:yyyy-MM-dd HH:mm} → {f.OutOfSampleTo:yyyy-MM-dd HH:mm}</td><td class=\"l\">{Encode(f.Parameters)}</td>")
                    .Append(Invariant, $"{Percent(f.InSample.TotalReturn)}{Ratio(f.InSample.Sharpe)}{Percent(f.OutOfSample.TotalReturn)}{Ratio(f.OutOfSample.Sharpe)}")
                    .Append(Invariant, $"<td>{f.OutOfSampleRank} of {result.Ranking.Count}</td>{Ratio(f.RankCorrelation)}</tr>\n");
            }

            html.Append("</table>\n<p>An out-of-sample figure far below the in-sample one, a best combination ranked low on the next window, or a rank correlation near 0 or below: the ranking does not carry over (overfitting).</p>\n");
        }

        html.Append("""<table><caption>Ranking</caption><tr><th>Rank</th><th class="l">Parameters</th><th>Return</th><th>Sharpe</th><th>Max drawdown</th><th>Round trips</th><th>Fees</th><th>Confirmed return</th><th>Confirmed Sharpe</th></tr>""").Append('\n');
        foreach (var c in result.Ranking)
        {
            html.Append(Invariant, $"<tr><td>{c.Rank}</td><td class=\"l\">{Encode(c.Parameters)}</td>{Percent(c.Screen.TotalReturn)}{Ratio(c.Screen.Sharpe)}{Percent(c.Screen.MaxDrawdown)}")
                .Append(Invariant, $"<td>{c.Screen.TradeCount}</td><td>{c.Screen.Fees:N2}</td>{Percent(c.Confirmed?.TotalReturn)}{Ratio(c.Confirmed?.Sharpe)}</tr>\n");
        }

        html.Append("</table>\n");
        if (result.Refused.Count > 0)
        {
            html.Append(Invariant, $"<p>Refused: {Encode(string.Join("; ", result.Refused.Take(20).Select(r => $"{r.Parameters} ({r.Reason})")))}{(result.Refused.Count > 20 ? " …" : "")}</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Axes(SweepResult result) => string.Join(" × ", result.Settings.Grid.Axes.Select(a => $"{a.Values.Count} {a.Name}"));

    private static string Percent(double? value) => value is { } v
        ? string.Create(Invariant, $"<td{(v < 0 ? " class=\"neg\"" : "")}>{v:+0.00%;-0.00%}</td>")
        : "<td>—</td>";

    private static string Ratio(double? value) => value is { } v
        ? string.Create(Invariant, $"<td{(v < 0 ? " class=\"neg\"" : "")}>{v:0.00}</td>")
        : "<td>—</td>";
}
