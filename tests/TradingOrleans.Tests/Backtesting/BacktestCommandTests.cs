using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestCommandTests
{
    private static string TempFolder() => Path.GetDirectoryName(TestSettings.NewDatabasePath())!;

    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var exit = await BacktestCommand.RunAsync(args, new ConfigurationBuilder().Build(), output, CancellationToken.None);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task The_command_runs_a_config_file_prints_progress_and_the_summary_and_writes_the_report_files()
    {
        var folder = TempFolder();
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "strategies.json");
        await File.WriteAllTextAsync(config, """
            [ { "id": "sma", "type": "sma-crossover", "symbols": ["BTCUSDT"], "parameters": { "fast": 6, "slow": 24 } } ]
            """);
        var output = Path.Combine(folder, "out");

        var (exit, text) = await Run("--config", config, "--from", "2021-03-01", "--to", "2021-03-02", "--out", output, "--latency-bars", "1");

        Assert.Equal(0, exit);
        Assert.Contains("288/288 bars", text);
        Assert.Contains("at the open of the bar 2 after the order", text);
        Assert.Contains("netting residual", text);
        Assert.All([BacktestResult.SummaryFile, BacktestResult.TradesFile, BacktestResult.EquityFile, BacktestResult.ReportFile],
            file => Assert.True(File.Exists(Path.Combine(output, file)), file));
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, BacktestResult.SummaryFile)));
        Assert.Equal(288, summary.RootElement.GetProperty("bars").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("fills").GetProperty("latencyBars").GetInt32());
        Assert.Equal(289, (await File.ReadAllLinesAsync(Path.Combine(output, BacktestResult.EquityFile))).Length);
    }

    [Fact]
    public async Task A_bad_config_exits_2_naming_each_bad_field_and_a_missing_file_says_so()
    {
        var folder = TempFolder();
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "bad.json");
        await File.WriteAllTextAsync(config, """[ { "id": "sma", "type": "sma-crosover", "symbols": ["BTCUSDT"], "parameters": {} } ]""");

        var (exit, text) = await Run("--config", config, "--from", "2021-03-02", "--to", "2021-03-01");
        var (missingExit, missingText) = await Run("--config", Path.Combine(folder, "nothing.json"), "--from", "2021-03-01", "--to", "2021-03-02");

        Assert.Equal(2, exit);
        Assert.Contains("strategies[0].type:", text);
        Assert.Contains("from: The period is empty or inverted", text);
        Assert.Equal(2, missingExit);
        Assert.Contains("no such file", missingText);
    }
}
