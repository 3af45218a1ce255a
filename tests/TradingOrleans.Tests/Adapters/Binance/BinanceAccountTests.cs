using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>
/// The whole service in Testnet against a Binance-speaking server whose account holds balances: the book starts from
/// the account, follows its deposits and fills, finds a change made behind its back as drift (metric, REST, adopted
/// when it persists), and neither risk nor the venue lets an order spend what is not free.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class BinanceAccountTests
{
    private static TradingApiFactory StartTestnet(FakeBinanceExchange exchange, string onDrift = "Adopt")
    {
        var settings = exchange.AsOnlyVenue(TestSettings.Quiet(TestSettings.NewDatabasePath()), "BTCUSDT");
        settings["Trading:Mode"] = "Testnet";
        settings["Trading:MarketData:Binance:BaseUrl"] = $"ws://127.0.0.1:{TestSettings.FreePort()}";
        settings["Trading:MarketData:Binance:Symbols:0"] = "BTCUSDT";
        // Reconciled at start and when asked over REST only, so each comparison in the test is one the test made.
        settings["Trading:Account:ReconcileInterval"] = "01:00:00";
        settings["Trading:Account:OnDrift"] = onDrift;
        return new TradingApiFactory(settings);
    }

    private static OrderIntent Buy(string id, decimal quantity) =>
        new($"BTCUSDT-manual-{id}", "BTCUSDT", OrderSide.Buy, quantity, 30_000m, "manual order", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static async Task<JsonElement> Reconcile(HttpClient http)
    {
        var response = await http.PostAsync("/api/v1/account/reconcile", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Asset(JsonElement reconciliation, string asset) =>
        reconciliation.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("asset").GetString() == asset);

    private static Regex DriftMetric(string asset) => new($@"^trading_account_drift\{{[^}}]*asset=""{asset}""[^}}]*\}} (?<drift>\S+)$", RegexOptions.Multiline);

    [Fact]
    public async Task The_book_starts_from_the_account_follows_it_and_adopts_a_drift_that_persists()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Fund("USDT", 10_000m);
        exchange.Fund("BTC", 0.5m);
        using var api = StartTestnet(exchange);
        var http = api.CreateClient(ApiRole.Trader);

        // Cash and the position come from the account; the 0.5 BTC found has no price yet (no mark, no fill).
        var funded = await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio"),
            p => p.GetProperty("initialCash").GetDecimal() == 10_000m, TimeSpan.FromSeconds(30), "the portfolio funded from the account");
        Assert.Equal(10_000m, funded.GetProperty("cash").GetDecimal());
        Assert.Equal(0.5m, funded.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("symbol").GetString() == "BTCUSDT").GetProperty("quantity").GetDecimal());
        var account = await http.GetFromJsonAsync<JsonElement>("/api/v1/account");
        Assert.Equal(("binance", "USDT"), (account.GetProperty("venue").GetString(), account.GetProperty("quoteAsset").GetString()));
        Assert.Equal([("BTC", 0.5m, 0m), ("USDT", 10_000m, 0m)], account.GetProperty("balances").EnumerateArray()
            .Select(b => (b.GetProperty("asset").GetString(), b.GetProperty("free").GetDecimal(), b.GetProperty("locked").GetDecimal())));
        Assert.Equal(("start", "Agrees"), (account.GetProperty("lastReconciliation").GetProperty("trigger").GetString(),
            account.GetProperty("lastReconciliation").GetProperty("outcome").GetString()));

        // A deposit (balanceUpdate) moves cash once, as capital brought in, not profit.
        await exchange.DepositAsync("USDT", 500m);
        var deposited = await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio"),
            p => p.GetProperty("cash").GetDecimal() == 10_500m, TimeSpan.FromSeconds(10), "the deposit in the portfolio");
        Assert.Equal(500m, deposited.GetProperty("netTransfers").GetDecimal());

        // A buy of 0.1 at 30,000 (3 USDT commission): the fill moves the book through execution, the account's
        // outboundAccountPosition only the account view, so the two agree.
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        var bought = await grains.GetGrain<IOrderEntryGrain>(0).SubmitOrder(Buy("1", 0.1m));
        Assert.True(bought.Decision.Approved, bought.Decision.Explanation);
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio"),
            p => p.GetProperty("cash").GetDecimal() == 7_497m, TimeSpan.FromSeconds(10), "the fills in the portfolio");
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/account"),
            a => a.GetProperty("balances").EnumerateArray().Any(b => b.GetProperty("asset").GetString() == "BTC" && b.GetProperty("free").GetDecimal() == 0.6m),
            TimeSpan.FromSeconds(10), "the account update after the fill");
        var afterFill = await Reconcile(http);
        Assert.Equal("Agrees", afterFill.GetProperty("outcome").GetString());
        Assert.Equal((7_497m, 7_497m, 0m), (Asset(afterFill, "USDT").GetProperty("account").GetDecimal(),
            Asset(afterFill, "USDT").GetProperty("portfolio").GetDecimal(), Asset(afterFill, "USDT").GetProperty("drift").GetDecimal()));
        Assert.Equal((0.6m, 0m), (Asset(afterFill, "BTC").GetProperty("account").GetDecimal(), Asset(afterFill, "BTC").GetProperty("drift").GetDecimal()));

        // 1,000 USDT leave the account with no event (another session's doing): drift, in the metric, over REST and /health.
        exchange.ChangeBalanceUnreported("USDT", -1_000m);
        var drifted = await Reconcile(http);
        Assert.Equal("Drift", drifted.GetProperty("outcome").GetString());
        var usdt = Asset(drifted, "USDT");
        Assert.Equal((6_497m, 7_497m, -1_000m, true), (usdt.GetProperty("account").GetDecimal(), usdt.GetProperty("portfolio").GetDecimal(),
            usdt.GetProperty("drift").GetDecimal(), usdt.GetProperty("overTolerance").GetBoolean()));
        // Equity: 7,497 cash + 0.6 BTC at the fill's 30,000.
        Assert.Equal(1_000m / 25_497m, usdt.GetProperty("fractionOfEquity").GetDecimal());
        Assert.Contains("USDT: account 6497, portfolio 7497, drift -1000", drifted.GetProperty("summary").GetString());
        var viewer = api.CreateClient(ApiRole.Viewer);
        await Eventually.Returns(() => viewer.GetStringAsync("/metrics"), m => DriftMetric("USDT").Match(m).Groups["drift"].Value == "-1000",
            TimeSpan.FromSeconds(10), "the drift in /metrics"); // the exporter serves a scrape again for a moment
        var health = await (await http.GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("account").GetProperty("status").GetString());

        // Seen again by the same amount: adopted (Trading:Account:OnDrift = Adopt, the default) as money taken out.
        var adopted = await Reconcile(http);
        Assert.Equal("Adopted", adopted.GetProperty("outcome").GetString());
        Assert.True(Asset(adopted, "USDT").GetProperty("adopted").GetBoolean());
        var book = await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio");
        Assert.Equal((6_497m, 500m - 1_000m + 0.5m * 30_000m), (book.GetProperty("cash").GetDecimal(), book.GetProperty("netTransfers").GetDecimal()));
        Assert.Equal("Agrees", (await Reconcile(http)).GetProperty("outcome").GetString());
        await Eventually.Returns(() => viewer.GetStringAsync("/metrics"), m => DriftMetric("USDT").Match(m).Groups["drift"].Value == "0",
            TimeSpan.FromSeconds(10), "the adopted drift back to 0 in /metrics");
    }

    [Fact]
    public async Task A_buy_beyond_the_free_balance_is_refused_by_risk_and_one_the_venue_refuses_with_2010_is_rejected_once()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Fund("USDT", 5_000m);
        using var api = StartTestnet(exchange);
        var http = api.CreateClient(ApiRole.Trader);
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/account"),
            a => a.TryGetProperty("lastReconciliation", out var last) && last.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the account read at start");
        var entry = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IOrderEntryGrain>(0);

        // 0.2 × 30,000 × 1.001 = 6,006 USDT > 5,000 free: risk refuses it, nothing reaches the venue.
        var refused = await entry.SubmitOrder(Buy("too-big", 0.2m));
        Assert.Equal(RiskRejectionReason.InsufficientBalance, refused.Decision.Rejection);
        Assert.EndsWith("a buy of 0.2 × 30000 with the 0.001 fee needs 6006 USDT; free 5000 less 0 committed to open buys leaves 5000", refused.Decision.Explanation);
        Assert.Empty(exchange.NewOrderQueryStrings);

        // The account spent 4,000 elsewhere, unreported: risk still sees 5,000 free and passes 0.1 (3,003), Binance
        // answers -2010, and the order is rejected with that reason, sent once, not retried.
        exchange.ChangeBalanceUnreported("USDT", -4_000m);
        var sent = await entry.SubmitOrder(Buy("refused-by-binance", 0.1m));
        Assert.True(sent.Decision.Approved, sent.Decision.Explanation);
        var order = await Eventually.Returns(() => entry.FindOrder("BTCUSDT-manual-refused-by-binance"), o => o?.Status == OrderStatus.Rejected,
            TimeSpan.FromSeconds(10), "the venue's rejection");
        Assert.Equal("binance -2010: new order rejected by the matching engine (Account has insufficient balance for requested action.)", order!.RejectReason);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a retry would come within the execution grain's poll
        Assert.Single(exchange.NewOrderQueryStrings);
        Assert.Empty(exchange.Orders);
    }

    [Fact]
    public async Task Under_the_alert_policy_drift_is_only_reported_and_a_reconnected_stream_has_the_account_read_again()
    {
        await using var exchange = await FakeBinanceExchange.StartAsync();
        exchange.Fund("USDT", 10_000m);
        using var api = StartTestnet(exchange, onDrift: "Alert");
        var http = api.CreateClient(ApiRole.Trader);
        await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio"),
            p => p.GetProperty("cash").GetDecimal() == 10_000m, TimeSpan.FromSeconds(30), "the portfolio funded from the account");

        // 250 USDT (2.5 % of equity) gone behind the book's back, seen at two reconciliations: reported, never adopted.
        exchange.ChangeBalanceUnreported("USDT", -250m);
        Assert.Equal("Drift", (await Reconcile(http)).GetProperty("outcome").GetString());
        var again = await Reconcile(http);
        Assert.Equal("Drift", again.GetProperty("outcome").GetString());
        Assert.Equal((-250m, false), (Asset(again, "USDT").GetProperty("drift").GetDecimal(), Asset(again, "USDT").GetProperty("adopted").GetBoolean()));
        Assert.DoesNotContain("adopted", again.GetProperty("summary").GetString());
        Assert.Equal(10_000m, (await http.GetFromJsonAsync<JsonElement>("/api/v1/portfolio")).GetProperty("cash").GetDecimal());

        // Balance events may have been lost while the stream was down: once it subscribes again, the account is read and compared.
        var reads = exchange.AccountReads;
        exchange.DropUserDataStreams();
        var afterReconnect = await Eventually.Returns(() => http.GetFromJsonAsync<JsonElement>("/api/v1/account"),
            a => a.GetProperty("lastReconciliation").GetProperty("trigger").GetString() == "user-data stream reconnected", TimeSpan.FromSeconds(30), "the reconciliation after the reconnect");
        Assert.Equal("Drift", afterReconnect.GetProperty("lastReconciliation").GetProperty("outcome").GetString());
        Assert.Equal(reads + 1, exchange.AccountReads);
    }
}
