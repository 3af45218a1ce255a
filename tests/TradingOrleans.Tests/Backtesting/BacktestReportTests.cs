using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;
using Xunit.Abstractions;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestReportTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Fact]
    public void The_report_loads_nothing_from_outside()
    {
        var html = BacktestReport.Render(Model(bars: 500));

        foreach (var reference in new[] { "http://", "https://", "src=", "href=", "url(", "@import" })
        {
            Assert.DoesNotContain(reference, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Text_from_the_model_is_html_escaped()
    {
        var model = Model(bars: 100) with
        {
            Title = "<b>run</b>",
            FillModel = "next open & 5 bps",
            Strategies = [new StrategyConfig("<script>alert(1)</script>", "sma-crossover", ["BTCUSDT"], new Dictionary<string, double> { ["a<b&\"c\""] = 1.5 })],
            Attribution = [new StrategyAttribution("<script>alert(1)</script>", "sma-crossover", 10m, 1m, 4)],
        };

        var html = BacktestReport.Render(model);

        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>run</b>", html);
        Assert.Equal(2, Regex.Count(html, Regex.Escape("&lt;script&gt;alert(1)&lt;/script&gt;")));
        Assert.Contains("a&lt;b&amp;&quot;c&quot;=1.5", html);
        Assert.Contains("<title>Backtest &lt;b&gt;run&lt;/b&gt;</title>", html);
        Assert.Contains("next open &amp; 5 bps", html);
    }

    [Fact]
    public void A_40000_bar_backtest_renders_under_2_MB_with_every_line_downsampled()
    {
        var html = BacktestReport.Render(Model(bars: 40_000));

        Assert.InRange(Encoding.UTF8.GetByteCount(html), 1, 2_000_000);
        var lines = Regex.Matches(html, """<path class="series [^"]*" d="([^"]*)"/>""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(5, lines.Count); // equity, buy and hold, drawdown, and each symbol's close
        Assert.All(lines, d => Assert.InRange(d.Count(c => c is 'M' or 'L'), 1_000, SvgLineChart.MaxPointsPerLine));
    }

    [Fact]
    public void Downsampling_keeps_the_ends_and_each_buckets_lowest_and_highest_point_in_time_order()
    {
        var points = Enumerable.Range(0, 40_000).Select(i => new ChartPoint(Start.AddHours(i), Math.Sin(i / 500.0))).ToArray();
        points[12_345] = points[12_345] with { Value = -50 };
        points[30_001] = points[30_001] with { Value = 50 };

        var kept = SvgLineChart.Downsample(points, SvgLineChart.MaxPointsPerLine);

        Assert.InRange(kept.Count, SvgLineChart.MaxPointsPerLine - 2, SvgLineChart.MaxPointsPerLine);
        Assert.Equal(points[0], kept[0]);
        Assert.Equal(points[^1], kept[^1]);
        Assert.Contains(points[12_345], kept);
        Assert.Contains(points[30_001], kept);
        Assert.Equal(kept.OrderBy(p => p.Time), kept);
        Assert.Same(points, SvgLineChart.Downsample(points, points.Length));
    }

    [Fact]
    public void Undefined_metrics_show_a_dash()
    {
        var model = Model(bars: 100) with
        {
            Summary = Summary() with { Volatility = null, Sharpe = null, Sortino = null, Calmar = null, WinRate = null, ProfitFactor = null, AverageTrade = null },
        };

        var html = BacktestReport.Render(model);

        foreach (var metric in new[] { "Volatility (annualised)", "Sharpe", "Sortino", "Calmar", "Win rate", "Profit factor", "Average trade" })
        {
            Assert.Contains($"<tr><th>{metric}</th><td>—</td></tr>", html);
        }

        Assert.Contains("<tr><th>Total return</th><td>12.50 %</td></tr>", html);
        Assert.Contains("<tr><th>Max drawdown</th><td>-18.00 %</td></tr>", html);
        Assert.Contains("<tr><th>Max drawdown duration</th><td>40 d 12 h</td></tr>", html);
        Assert.Contains("<tr><th>Fees</th><td>1,310.25</td></tr>", html);
    }

    [Fact]
    public void The_monthly_table_has_a_row_per_year_and_a_cell_per_month_coloured_by_sign()
    {
        var model = Model(bars: 100) with
        {
            Monthly = [new MonthlyReturn(2022, 12, 0.5), new MonthlyReturn(2021, 1, 0.015), new MonthlyReturn(2021, 2, -0.0225), new MonthlyReturn(2021, 3, 0)],
        };

        var table = Regex.Match(BacktestReport.Render(model), """<table class="monthly">(.*?)</table>""", RegexOptions.Singleline).Groups[1].Value;
        var rows = Regex.Matches(table, "<tr>(.*?)</tr>").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, rows.Count);
        Assert.StartsWith("<th>Year</th><th>Jan</th>", rows[0]);
        Assert.Equal("""<th>2021</th><td class="gain">1.50 %</td><td class="loss">-2.25 %</td><td>0.00 %</td>""" + Empty(9), rows[1]);
        Assert.Equal("<th>2022</th>" + Empty(11) + """<td class="gain">50.00 %</td>""", rows[2]);
    }

    [Fact]
    public void The_attribution_table_lists_each_strategy_then_the_netting_residual()
    {
        var model = Model(bars: 100) with
        {
            Attribution = [new StrategyAttribution("fast", "sma-crossover", 1_200.5m, 30m, 14), new StrategyAttribution("slow", "rsi-mean-reversion", -200m, 12.25m, 6)],
            NettingResidual = 49.75m,
        };

        var table = Regex.Match(BacktestReport.Render(model), """<table class="attribution">(.*?)</table>""", RegexOptions.Singleline).Groups[1].Value;
        var rows = Regex.Matches(table, "<tr[^>]*>(.*?)</tr>").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(
            [
                "<th>Strategy</th><th>Type</th><th>Net PnL</th><th>Fees</th><th>Trades</th>",
                "<td>fast</td><td>sma-crossover</td><td>1,200.50</td><td>30.00</td><td>14</td>",
                "<td>slow</td><td>rsi-mean-reversion</td><td>-200.00</td><td>12.25</td><td>6</td>",
                "<td>Netting residual</td><td></td><td>49.75</td><td></td><td></td>",
            ],
            rows);
    }

    [Fact]
    public async Task Every_chart_of_a_40000_bar_report_renders_in_headless_Chromium()
    {
        var html = BacktestReport.Render(Model(bars: 40_000));

        var clock = Stopwatch.StartNew();
        var dom = await HeadlessChromium.DumpDomAsync(html, TimeSpan.FromMinutes(1));
        output.WriteLine($"Chromium printed the DOM of a {html.Length / 1024} KB report in {clock.ElapsedMilliseconds} ms");

        var charts = Regex.Matches(dom, "<svg [^>]*>").Select(m => m.Value).Where(tag => tag.Contains("class=\"chart\""))
            .ToDictionary(tag => Attribute(tag, "data-chart"), tag => Attribute(tag, "data-rendered"));
        Assert.Equal(["drawdown", "equity", "price-BTCUSDT", "price-ETHUSDT"], charts.Keys.Order());
        Assert.All(charts, chart => Assert.True(chart.Value == "true", $"{chart.Key}: data-rendered=\"{chart.Value}\""));
    }

    private static string Attribute(string tag, string name) => Regex.Match(tag, name + "=\"([^\"]*)\"").Groups[1].Value;

    private static string Empty(int cells) => string.Concat(Enumerable.Repeat("<td></td>", cells));

    /// <summary>An hourly backtest on two symbols: random walks for prices and equity, a fill every few dozen bars.</summary>
    private static BacktestReportModel Model(int bars)
    {
        var random = new Random(7);
        var (btc, eth, equity) = (30_000m, 1_000m, 10_000m);
        var samples = new List<EquitySample>(bars);
        var prices = Symbols.ToDictionary(s => s, _ => new List<PriceSample>(bars));
        var fills = new List<BacktestFill>();
        for (var i = 0; i < bars; i++)
        {
            var time = Start.AddHours(i);
            btc *= 1 + Step(random, 0.01);
            eth *= 1 + Step(random, 0.015);
            equity *= 1 + Step(random, 0.005);
            samples.Add(new EquitySample(time, equity, 5_000m * btc / 30_000m + 5_000m * eth / 1_000m, equity / 2));
            prices["BTCUSDT"].Add(new PriceSample(time, btc));
            prices["ETHUSDT"].Add(new PriceSample(time, eth));
            if (i % 37 == 5)
            {
                var (symbol, price) = i / 37 % 2 == 0 ? ("BTCUSDT", btc) : ("ETHUSDT", eth);
                var side = i / 74 % 2 == 0 ? OrderSide.Buy : OrderSide.Sell;
                fills.Add(new BacktestFill(time, symbol, side, 0.1m, price * 1.0005m, price * 0.0001m, $"{symbol}-{i}"));
            }
        }

        var end = Start.AddHours(bars);
        return new BacktestReportModel(
            "bt-1", Start, end, Symbols,
            [new StrategyConfig("fast-sma", "sma-crossover", Symbols, new Dictionary<string, double> { ["fast"] = 10, ["slow"] = 30 })],
            "next bar's open + 5 bps slippage, 10 bps fee, ≤ 10 % of a bar's volume",
            10_000m, Summary(),
            [.. Enumerable.Range(0, (end.Year - Start.Year) * 12 + end.Month).Select(m => new MonthlyReturn(2021 + m / 12, m % 12 + 1, (m % 5 - 2) / 100.0))],
            samples,
            prices.ToDictionary(p => p.Key, p => (IReadOnlyList<PriceSample>)p.Value),
            fills,
            [new StrategyAttribution("fast-sma", "sma-crossover", 1_100m, 1_310.25m, 240)],
            150m);
    }

    private static decimal Step(Random random, double scale) => (decimal)((random.NextDouble() - 0.5) * 2 * scale);

    private static PerformanceSummary Summary() => new(
        StartEquity: 10_000m, EndEquity: 11_250m, TotalReturn: 0.125, AnnualisedReturn: 0.031, BuyAndHoldReturn: 0.4,
        Volatility: 0.22, Sharpe: 1.1, Sortino: 1.6, Calmar: 0.17, MaxDrawdown: -0.18, MaxDrawdownDuration: TimeSpan.FromHours(40 * 24 + 12),
        WinRate: 0.55, ProfitFactor: 1.3, AverageTrade: 5.46m, Exposure: 0.6, Turnover: 8.2, Fees: 1_310.25m, TradeCount: 120, FillCount: 240);
}
