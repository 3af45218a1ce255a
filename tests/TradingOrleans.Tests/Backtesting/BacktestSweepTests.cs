using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestSweepTests
{
    private static readonly StrategyConfig Sma = new("sma", "sma-crossover", ["BTCUSDT"], new Dictionary<string, double> { ["fast"] = 12, ["slow"] = 48 });

    [Fact]
    public void A_grid_is_every_combination_of_its_ranges_and_lists_ends_included()
    {
        var grid = ParameterGrid.Parse("fast=5..30:5  slow=20,40,80");

        Assert.Equal(18, grid.Count);
        Assert.Equal([5d, 10, 15, 20, 25, 30], grid.Axes[0].Values);
        var combinations = grid.Combinations(Sma);
        Assert.Equal(18, combinations.Count);
        Assert.Equal((5d, 20d), (combinations[0]["fast"], combinations[0]["slow"]));
        Assert.Equal((5d, 40d), (combinations[1]["fast"], combinations[1]["slow"]));
        Assert.Equal((30d, 80d), (combinations[^1]["fast"], combinations[^1]["slow"]));
        Assert.Equal("fast=10 slow=80", grid.Describe(combinations[5]));
        // Counted, not accumulated: ten steps of 0.1 end exactly at 1.
        Assert.Equal([0d, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], ParameterGrid.Parse("x=0..1:0.1").Axes[0].Values);
    }

    [Theory]
    [InlineData("fast", "not name=from..to:step")]
    [InlineData("fast=5..30:0", "a step above 0")]
    [InlineData("fast=30..5:5", "from ≤ to")]
    [InlineData("fast=a,b", "is not a number")]
    [InlineData("fast=1,2 fast=3", "given twice")]
    [InlineData("a=1..100 b=1..101", "10100 combinations")]
    public void A_bad_grid_says_what_is_wrong(string text, string problem) =>
        Assert.Contains(problem, Assert.Throws<FormatException>(() => ParameterGrid.Parse(text)).Message);

    [Fact]
    public void Rank_correlation_is_spearmans_rho()
    {
        // Five items; the second ranking swaps the last two: Σd² = 2, ρ = 1 − 6·2 / (5·24) = 0.9. Reversed: ρ = −1.
        Assert.Equal(0.9, BacktestSweep.Spearman([0, 1, 2, 3, 4], [0, 1, 2, 4, 3])!.Value, 12);
        Assert.Equal(-1, BacktestSweep.Spearman([0, 1, 2, 3, 4], [4, 3, 2, 1, 0])!.Value, 12);
        Assert.Null(BacktestSweep.Spearman([0, 1], [1, 0]));
    }

    [Fact]
    public void Only_one_single_symbol_strategy_with_the_swept_parameters_can_be_swept()
    {
        BacktestSpec Spec(params StrategyConfig[] strategies) => new(strategies, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), []);
        var grid = new SweepSettings(ParameterGrid.Parse("fast=5..10"));

        Assert.Null(BacktestSweep.Refusal(Spec(Sma), grid));
        Assert.Contains("2 strategies", BacktestSweep.Refusal(Spec(Sma, Sma with { Id = "b" }), grid));
        Assert.Contains("no parameter period", BacktestSweep.Refusal(Spec(Sma), new SweepSettings(ParameterGrid.Parse("period=5..10"))));
        Assert.Contains("single-symbol", BacktestSweep.Refusal(Spec(new StrategyConfig("p", "pairs-ols", ["ETHUSDT", "BTCUSDT"], new Dictionary<string, double>())), grid));
    }

    [Fact]
    public async Task A_sweep_from_the_command_line_ranks_every_combination_confirms_the_best_and_tests_each_window_on_the_next()
    {
        var folder = Path.GetDirectoryName(TestSettings.NewDatabasePath())!;
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "sma.json");
        await File.WriteAllTextAsync(config, """[ { "id": "sma", "type": "sma-crossover", "symbols": ["BTCUSDT", "ETHUSDT"], "parameters": { "fast": 6, "slow": 24 } } ]""");
        var output = new StringWriter();

        var exit = await BacktestCommand.RunAsync(
            ["--config", config, "--from", "2021-03-01", "--to", "2021-03-05", "--sweep", "fast=6..24:6 slow=24,48", "--confirm", "1", "--walk-forward", "1", "--out", Path.Combine(folder, "out")],
            new ConfigurationBuilder().Build(), output, CancellationToken.None);

        Assert.Equal(0, exit);
        using var sweep = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "out", SweepReport.JsonFile)));
        var root = sweep.RootElement;
        // 4 × 2 = 8 combinations; fast=24 slow=24 breaks "fast below slow".
        Assert.Equal(8, root.GetProperty("combinations").GetInt32());
        Assert.Equal("fast=24 slow=24", root.GetProperty("refused")[0].GetProperty("parameters").GetString());
        var ranking = root.GetProperty("ranking").EnumerateArray().ToList();
        Assert.Equal(7, ranking.Count);
        Assert.Equal(8, (await File.ReadAllLinesAsync(Path.Combine(folder, "out", SweepReport.RankingFile))).Length);
        var sharpes = ranking.Select(r => r.GetProperty("screen").GetProperty("sharpe").GetDouble()).ToList();
        Assert.Equal(sharpes.OrderDescending(), sharpes);

        // The best one confirmed: exactly what a backtest of that config alone gives.
        var best = ranking[0];
        Assert.Equal(JsonValueKind.Null, ranking[1].GetProperty("confirmed").ValueKind);
        var alone = BacktestResult.Of(await BacktestEngine.RunAsync(
            new BacktestSpec([Sma with { Symbols = ["BTCUSDT", "ETHUSDT"], Parameters = best.GetProperty("values").Deserialize<Dictionary<string, double>>()!, Id = "alone" }],
                new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2021, 3, 5, 0, 0, 0, TimeSpan.Zero), []),
            new ConfigurationBuilder().Build(), new HistoricalData("data/binance-usdt-2021-5m"), Path.Combine(folder, "alone", "audit.jsonl"), null, CancellationToken.None));
        Assert.Equal(alone.Summary.TotalReturn, best.GetProperty("confirmed").GetProperty("totalReturn").GetDouble());

        // One fold: optimised on 1–3 March, tested on 3–5 March through the full pipeline.
        var fold = Assert.Single(root.GetProperty("folds").EnumerateArray());
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 0, 0, 0, TimeSpan.Zero), fold.GetProperty("outOfSampleFrom").GetDateTimeOffset());
        Assert.InRange(fold.GetProperty("outOfSampleRank").GetInt32(), 1, 7);
        Assert.InRange(fold.GetProperty("rankCorrelation").GetDouble(), -1, 1);
        Assert.Contains("walk-forward 1: best in-sample", output.ToString());
        var report = await File.ReadAllTextAsync(Path.Combine(folder, "out", SweepReport.ReportFile));
        Assert.Contains("Walk-forward", report);
        Assert.Contains("fast=24 slow=24", report);
    }
}
