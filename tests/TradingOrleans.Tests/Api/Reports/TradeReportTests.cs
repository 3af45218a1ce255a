using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Client.Api.Reports;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Reports;

public sealed class TradeReportTests
{
    [Fact]
    public async Task The_report_of_a_replay_has_a_row_per_fill_matching_the_portfolio()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-02T00:00:00Z", "BTCUSDT", "ETHUSDT");
        using var api = new TradingApiFactory(settings);
        var admin = api.CreateClient(ApiRole.Admin);
        await api.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(2));

        var portfolio = await admin.GetFromJsonAsync<JsonElement>("/api/v1/portfolio");
        var rows = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/reports/trades"))!;
        var csv = await admin.GetStringAsync("/api/v1/reports/trades?format=csv");

        Assert.Equal(portfolio.GetProperty("fillCount").GetInt32(), rows.Length);
        Assert.Equal(portfolio.GetProperty("feesPaid").GetDecimal(), rows.Sum(r => r.GetProperty("fee").GetDecimal()));
        Assert.All(rows, r => Assert.Equal("paper", r.GetProperty("venue").GetString()));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("decisionReason").GetString())));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Length + 1, lines.Length);
        Assert.StartsWith("order_id,symbol,side,order_quantity,order_status,decision_reason,", lines[0]);
    }

    [Fact]
    public void Csv_quotes_fields_with_commas_and_quotes_and_writes_invariant_numbers()
    {
        var at = new DateTimeOffset(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);
        var order = new ParentOrder("BTCUSDT-1-1", "BTCUSDT", OrderSide.Buy, 0.5m, OrderStatus.Filled, 0.5m, 29000.5m, 14.5m,
            [new ChildOrder("BTCUSDT-1-1-1", "paper-1", 0.5m, OrderStatus.Filled, 0.5m, at, "paper")],
            [new Fill("paper-BTCUSDT-1-1-1-1", "BTCUSDT-1-1-1", "BTCUSDT", OrderSide.Buy, 0.5m, 29000.5m, 14.5m, at)],
            "Long vote of a=Long, b=\"Flat\"", null, at, at, at.AddTicks(2_000));

        var csv = TradeReport.Csv(TradeReport.Rows([order]));

        Assert.Equal(
            "BTCUSDT-1-1,BTCUSDT,Buy,0.5,Filled,\"Long vote of a=Long, b=\"\"Flat\"\"\",,2021-01-01T00:05:00.0000000+00:00,"
            + "2021-01-01T00:05:00.0000000+00:00,2021-01-01T00:05:00.0002000+00:00,200,BTCUSDT-1-1-1,paper-1,paper,"
            + "paper-BTCUSDT-1-1-1-1,0.5,29000.5,14.5,2021-01-01T00:05:00.0000000+00:00",
            csv.Split("\r\n")[1]);
    }
}
