using System.Text.Json;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestSpecTests
{
    private static readonly DateTimeOffset March1 = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly HistoricalData Data = new("data/binance-usdt-2021-5m");
    private static readonly ModelStore Models = new(ModelStore.Resolve("models"));

    private static StrategyConfig Sma(params string[] symbols) =>
        new("sma", "sma-crossover", symbols, new Dictionary<string, double> { ["fast"] = 12, ["slow"] = 48 });

    [Fact]
    public void A_valid_spec_has_no_errors_and_replays_the_strategies_symbols_in_order()
    {
        var spec = new BacktestSpec([Sma("ETHUSDT", "BTCUSDT")], March1, March1.AddDays(1), []);

        Assert.Empty(spec.Validate(Data, "USDT", Models));
        Assert.Equal(["BTCUSDT", "ETHUSDT"], spec.EffectiveSymbols);
        Assert.Equal(new DataRange(new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2021, 5, 13, 13, 25, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5)), Data.Range("BTCUSDT"));
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var spec = new BacktestSpec(
            [
                new StrategyConfig("x", "no-such-type", ["BTCUSDT"], new Dictionary<string, double>()),
                new StrategyConfig("y", "sma-crossover", ["XRPUSDT"], new Dictionary<string, double> { ["fast"] = -3 }),
            ],
            March1, March1.AddDays(-1), [], InitialCash: 0m, new BacktestFills(ParticipationCap: 2), new Dictionary<string, string> { ["Trading:Storage:InMemory"] = "false" });

        var errors = spec.Validate(Data, "USDT", Models);

        Assert.Equal(
            ["fills.participationCap", "from", "initialCash", "settings.Trading:Storage:InMemory", "strategies[0].type", "strategies[1].parameters.fast", "strategies[1].symbols[0]"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("No historical data for XRPUSDT; there is data for BNBUSDT, BTCUSDT, ETHUSDT, LTCUSDT.", errors["strategies[1].symbols[0]"][0]);
    }

    [Fact]
    public void Settings_are_checked_by_their_sections_own_rules_each_bad_one_named()
    {
        var spec = new BacktestSpec([Sma("BTCUSDT")], March1, March1.AddDays(1), [], Settings: new Dictionary<string, string>
        {
            ["Trading:Execution:DefaultOrderType"] = "Limit",
            ["Trading:Execution:DefaultLimitOffsetBps"] = "5",
            ["Trading:Execution:DefaultTimeInForce"] = "Gtc",
            ["Trading:Risk:NoSuchLimit"] = "1",
            ["Trading:Signals:WeightCap"] = "lots",
        });

        var errors = spec.Validate(Data, "USDT", Models);

        Assert.Equal(["settings.Trading:Execution:DefaultTimeInForce", "settings.Trading:Risk:NoSuchLimit", "settings.Trading:Signals:WeightCap"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("may not rest", errors["settings.Trading:Execution:DefaultTimeInForce"][0]);
        Assert.Contains("NoSuchLimit", errors["settings.Trading:Risk:NoSuchLimit"][0]);
        Assert.Contains("'lots'", errors["settings.Trading:Signals:WeightCap"][0]);
        // Trading:Risk binds to two classes: a limit (RiskLimits) and a model setting (RiskOptions) both stand.
        Assert.Empty((spec with
        {
            Settings = new Dictionary<string, string>
            {
                ["Trading:Execution:DefaultTimeInForce"] = "Fok", ["Trading:Execution:DefaultOrderType"] = "Limit", ["Trading:Execution:DefaultLimitOffsetBps"] = "5",
                ["Trading:Risk:PositionSizeFraction"] = "0.5", ["Trading:Risk:MaxSignalAge"] = "00:01:00",
            },
        }).Validate(Data, "USDT", Models));
        Assert.Equal(["settings.Trading:Risk:PositionSizeFraction"],
            (spec with { Settings = new Dictionary<string, string> { ["Trading:Risk:PositionSizeFraction"] = "3" } }).Validate(Data, "USDT", Models).Keys);
    }

    [Fact]
    public void A_period_outside_the_data_and_a_strategy_symbol_left_out_of_the_symbols_are_named()
    {
        var spec = new BacktestSpec([Sma("BTCUSDT", "ETHUSDT")], new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2019, 2, 1, 0, 0, 0, TimeSpan.Zero), ["BTCUSDT", "../etc"]);

        var errors = spec.Validate(Data, "USDT", Models);

        Assert.Contains("outside BTCUSDT's data, 2021-01-01 00:00:00Z to 2021-05-13 13:25:00Z", errors["from"][0]);
        Assert.Contains("not an exchange symbol", errors["symbols[1]"][0]);
        Assert.Contains("not among the backtest's symbols", errors["strategies[0].symbols[1]"][0]);
    }

    [Fact]
    public void A_config_file_is_a_whole_backtest_or_a_bare_array_of_strategies_and_missing_fields_are_named()
    {
        var whole = BacktestRequest.Parse("""
            { "strategies": [ { "id": "sma", "type": "sma-crossover", "symbols": ["BTCUSDT"], "parameters": { "fast": 12, "slow": 48 } } ],
              "from": "2021-03-01T00:00:00Z", "to": "2021-03-02T00:00:00Z", "fills": { "latencyBars": 1 } }
            """);
        var bare = BacktestRequest.Parse("""[ { "id": "sma", "type": "sma-crossover", "symbols": ["BTCUSDT"], "parameters": {} } ]""");

        var (spec, none) = whole.ToSpec();
        var (_, missing) = bare.ToSpec();

        Assert.Empty(none);
        Assert.Equal((1, 10m, 100_000m), (spec!.EffectiveFills.LatencyBars, spec.EffectiveFills.FeeBps, spec.InitialCash));
        Assert.Equal(["from", "to"], missing.Keys.Order(StringComparer.Ordinal));
        Assert.ThrowsAny<JsonException>(() => BacktestRequest.Parse("{ not json"));
    }

    [Fact]
    public void A_kline_file_added_or_extended_after_its_range_was_read_is_read_again()
    {
        var folder = Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "klines");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "BTCUSDT.csv");
        static string Rows(int count) => "open_time_ms,open,high,low,close,volume\n"
            + string.Concat(Enumerable.Range(0, count).Select(i => $"{1614556800000 + i * 300_000},1,1,1,1,1\n"));
        var data = new HistoricalData(folder);
        Assert.Null(data.Range("BTCUSDT"));

        File.WriteAllText(file, Rows(3));
        Assert.Equal(March1.AddMinutes(10), data.Range("BTCUSDT")!.Last);

        // As `data download` extends it: a later version of the file, a later last bar.
        File.WriteAllText(file, Rows(5));
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
        Assert.Equal(March1.AddMinutes(20), data.Range("BTCUSDT")!.Last);
    }
}
