using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Downloads;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Downloads;

/// <summary>
/// <c>data download</c> against a local server speaking Binance's klines endpoint from the real candles of the repository
/// (5-minute) and of a fixture (1-minute), on a clock the test moves.
/// </summary>
public sealed class DataDownloadCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb1 = new(2021, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb15 = new(2021, 2, 15, 0, 0, 0, TimeSpan.Zero);

    /// <summary>BTCUSDT's and ETHUSDT's 5-minute candles from Feb 1 to Feb 15, 2021: 14 days less the 15 of the maintenance gap of Feb 11.</summary>
    private const int TwoWeeks = 4_017;

    private static readonly string[] TwoWeeksArgs = ["--symbols", "BTCUSDT,ETHUSDT", "--interval", "5m", "--from", "2021-02-01", "--to", "2021-02-15"];

    private static string TempFolder() => Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "klines");

    private static Task<FakeBinanceKlines> StartBinance(TimeProvider time) => FakeBinanceKlines.StartAsync(time, new Dictionary<string, string>
    {
        ["5m"] = Path.GetDirectoryName(RepoData.File("BTCUSDT"))!,
        ["1m"] = RepoData.OneMinuteFolder,
    });

    private static async Task<(int Exit, string Output)> Download(
        FakeBinanceKlines binance, TimeProvider time, string folder, string[] args, CancellationToken cancellationToken = default, SharedOutput? output = null)
    {
        output ??= new SharedOutput();
        var exit = await DataDownloadCommand.RunAsync(["download", .. args, "--out", folder, "--base-url", binance.RestUrl], output, time, cancellationToken);
        return (exit, output.ToString());
    }

    /// <summary>The uncompressed file a download of these rows must write: the header, then each row with Binance's digits.</summary>
    private static string ExpectedCsv(string symbol, string interval, DateTimeOffset from, DateTimeOffset to)
    {
        var source = interval == "1m" ? Path.Combine(RepoData.OneMinuteFolder, $"{symbol}.csv.gz") : RepoData.File(symbol);
        var rows = FakeBinanceKlines.ReadRows(source)
            .Where(r => r.OpenTime >= from.ToUnixTimeMilliseconds() && r.OpenTime < to.ToUnixTimeMilliseconds())
            .Select(r => string.Join(',', [r.OpenTime.ToString(CultureInfo.InvariantCulture), .. r.Values.Select(FakeBinanceKlines.BinanceDigits)]) + "\n");
        return CandleCsvReader.Header + "\n" + string.Concat(rows);
    }

    private static string Decompressed(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        return reader.ReadToEnd();
    }

    private static long Ms(string row) => long.Parse(row.Split(',')[0], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Two_weeks_of_5_minute_klines_come_in_pages_of_1000_each_starting_past_the_last_open_time_into_files_the_reader_takes()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var folder = TempFolder();

        var (exit, output) = await Download(binance, time, folder, TwoWeeksArgs);

        Assert.Equal(0, exit);
        foreach (var symbol in new[] { "BTCUSDT", "ETHUSDT" })
        {
            var expected = ExpectedCsv(symbol, "5m", Feb1, Feb15);
            var file = Path.Combine(folder, $"{symbol}.csv.gz");
            Assert.Equal(expected, Decompressed(file));

            // 4 full pages and one of 17; each starts 1 ms past the last open time of the page before.
            var requests = binance.KlinesRequests.Where(r => r.Query["symbol"] == symbol).ToList();
            var rows = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
            Assert.Equal(TwoWeeks, rows.Length);
            Assert.Equal([Feb1.ToUnixTimeMilliseconds(), .. new[] { 999, 1999, 2999, 3999 }.Select(i => Ms(rows[i]) + 1)], requests.Select(r => r.StartTime));
            Assert.All(requests, r =>
            {
                Assert.Equal("5m", r.Query["interval"]);
                Assert.Equal("1000", r.Query["limit"]);
                Assert.Equal(Feb15.ToUnixTimeMilliseconds() - 1, long.Parse(r.Query["endTime"], CultureInfo.InvariantCulture));
            });

            var malformed = 0;
            var bars = CandleCsvReader.Read(file, TimeSpan.FromMinutes(5), (_, _) => malformed++).ToList();
            Assert.Equal(0, malformed);
            Assert.Equal(TwoWeeks, bars.Count);
            Assert.Contains($"{symbol}: 4,017 new candles in 5 pages; 1 gap of the exchange's kept, the longest between the candles of 2021-02-11 03:40 and 2021-02-11 05:00", output);
        }

        // The values are Binance's strings, not a float's: the same decimals as the shipped file's.
        var shipped = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { })
            .Where(b => b.OpenTime >= Feb1 && b.OpenTime < Feb15).Select(b => (b.OpenTime, b.Open, b.High, b.Low, b.Close, b.Volume));
        var downloaded = CandleCsvReader.Read(Path.Combine(folder, "BTCUSDT.csv.gz"), TimeSpan.FromMinutes(5), (_, _) => { })
            .Select(b => (b.OpenTime, b.Open, b.High, b.Low, b.Close, b.Volume));
        Assert.Equal(shipped, downloaded);
        Assert.Equal(["BTCUSDT.csv.gz", "ETHUSDT.csv.gz"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("weight 21/4800", output);
    }

    [Fact]
    public async Task A_download_stopped_by_ctrl_c_keeps_its_whole_pages_and_the_next_run_continues_to_the_same_bytes_as_a_run_that_went_through()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var straight = TempFolder();
        var stopped = TempFolder();
        Assert.Equal(0, (await Download(binance, time, straight, TwoWeeksArgs)).Exit);
        var requestsBefore = binance.KlinesRequests.Count;

        // Ctrl+C while BTCUSDT's third page is on its way.
        using var stop = new CancellationTokenSource();
        binance.OnKlinesRequest = number => { if (number == requestsBefore + 3) stop.Cancel(); };
        var (exit, output) = await Download(binance, time, stopped, TwoWeeksArgs, stop.Token);
        binance.OnKlinesRequest = null;

        Assert.Equal(1, exit);
        Assert.Contains("stopped; run the same command again to continue", output);
        var kept = Decompressed(Path.Combine(stopped, "BTCUSDT.csv.gz"));
        Assert.Equal(2_000, kept.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.StartsWith(kept, ExpectedCsv("BTCUSDT", "5m", Feb1, Feb15), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(stopped, "ETHUSDT.csv.gz")));

        var resumed = await Download(binance, time, stopped, TwoWeeksArgs);

        Assert.Equal(0, resumed.Exit);
        var rows = kept.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Ms(rows[^1]) + 1, binance.KlinesRequests[requestsBefore + 3].StartTime);
        foreach (var symbol in new[] { "BTCUSDT.csv.gz", "ETHUSDT.csv.gz" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(straight, symbol)), await File.ReadAllBytesAsync(Path.Combine(stopped, symbol)));
        }
    }

    [Fact]
    public async Task A_part_left_by_a_killed_run_with_a_row_cut_short_is_continued_after_its_last_whole_row_to_the_same_bytes()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        string[] args = ["--symbols", "ETHUSDT", "--interval", "5m", "--from", "2021-02-01", "--to", "2021-02-15"];
        var straight = TempFolder();
        var killed = TempFolder();
        Assert.Equal(0, (await Download(binance, time, straight, args)).Exit);

        // What a process killed in the middle of writing its second page leaves: the part, 1,500 whole rows and half a row.
        var csv = ExpectedCsv("ETHUSDT", "5m", Feb1, Feb15);
        var lines = csv.Split('\n');
        Directory.CreateDirectory(killed);
        await File.WriteAllTextAsync(Path.Combine(killed, "ETHUSDT.csv.part"), string.Join('\n', lines[..1501]) + "\n" + lines[1501][..20]);
        // Until it is completed, readers see no file of the symbol: never a half-written one.
        Assert.Empty(new HistoricalData(killed).Symbols());

        var requestsBefore = binance.KlinesRequests.Count;
        var (exit, output) = await Download(binance, time, killed, args);

        Assert.Equal(0, exit);
        Assert.Contains("ended in a row cut short by an abrupt stop: dropped it (20 bytes)", output);
        Assert.Equal(Ms(lines[1500]) + 1, binance.KlinesRequests[requestsBefore].StartTime);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(straight, "ETHUSDT.csv.gz")), await File.ReadAllBytesAsync(Path.Combine(killed, "ETHUSDT.csv.gz")));
        Assert.Equal(["ETHUSDT.csv.gz"], Directory.GetFiles(killed).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_and_the_same_page_asked_again()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        binance.Faults[2] = FakeBinanceKlines.Fault.TooManyRequests(seconds: 3);
        var output = new SharedOutput();
        var folder = TempFolder();

        var download = Download(binance, time, folder, TwoWeeksArgs, output: output);
        await Eventually.True(() => output.ToString().Contains("Binance answered 429 (too many requests): waiting 3 s, as it asks"));
        await Task.Delay(100);
        Assert.Equal(2, binance.KlinesRequests.Count); // held: nothing is sent inside the Retry-After
        time.Advance(TimeSpan.FromSeconds(3));
        var (exit, _) = await download;

        Assert.Equal(0, exit);
        var requests = binance.KlinesRequests;
        Assert.Equal(429, requests[1].Status);
        Assert.Equal(requests[1].StartTime, requests[2].StartTime);
        Assert.Equal(Now + TimeSpan.FromSeconds(3), requests[2].At);
        Assert.Equal(11, requests.Count);
        Assert.Equal(ExpectedCsv("BTCUSDT", "5m", Feb1, Feb15), Decompressed(Path.Combine(folder, "BTCUSDT.csv.gz")));
    }

    [Fact]
    public async Task A_418_ban_stops_the_download_with_its_end_keeping_the_pages_before_it_and_a_run_after_the_ban_completes_the_files()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        binance.Faults[3] = FakeBinanceKlines.Fault.Ban(seconds: 120);
        var folder = TempFolder();

        var (exit, output) = await Download(binance, time, folder, TwoWeeksArgs);

        Assert.Equal(1, exit);
        Assert.Contains("stopped: Binance banned this IP until 2026-12-06 12:02:00Z (418, after too many requests); run the same command after then to continue", output);
        Assert.Equal(3, binance.KlinesRequests.Count); // nothing more was sent into the ban
        Assert.Equal(2_001, Decompressed(Path.Combine(folder, "BTCUSDT.csv.gz")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(File.Exists(Path.Combine(folder, "ETHUSDT.csv.gz")));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await Download(binance, time, folder, TwoWeeksArgs)).Exit);

        Assert.Equal(ExpectedCsv("BTCUSDT", "5m", Feb1, Feb15), Decompressed(Path.Combine(folder, "BTCUSDT.csv.gz")));
        Assert.Equal(ExpectedCsv("ETHUSDT", "5m", Feb1, Feb15), Decompressed(Path.Combine(folder, "ETHUSDT.csv.gz")));
    }

    [Fact]
    public async Task Once_the_ips_weight_reaches_the_budget_no_request_goes_until_the_next_minute()
    {
        // Another process on this IP uses 4,790 of the 6,000 every minute: the default budget, 4,800, leaves it room.
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        binance.OtherWeightPerMinute = 4_790;
        var output = new SharedOutput();

        var download = Download(binance, time, TempFolder(), TwoWeeksArgs, output: output);
        await Eventually.True(() => output.ToString().Contains("weight 4801/4800"));
        await Task.Delay(100);
        Assert.Equal(5, binance.KlinesRequests.Count);
        time.Advance(TimeSpan.FromMinutes(1));
        var (exit, _) = await download;

        Assert.Equal(0, exit);
        // Time 1 and five pages of 2 at 12:00 reach 4,801; the next five pages wait for 12:01.
        var requests = binance.KlinesRequests;
        Assert.Equal([4793, 4795, 4797, 4799, 4801, 4792, 4794, 4796, 4798, 4800], requests.Select(r => r.UsedWeight));
        Assert.Equal([.. Enumerable.Repeat(Now, 5), .. Enumerable.Repeat(Now.AddMinutes(1), 5)], requests.Select(r => r.At));
        Assert.All(binance.Requests, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task The_candle_still_open_is_left_out_and_a_later_run_adds_the_candles_closed_since()
    {
        var day = new DateTimeOffset(2021, 2, 10, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(day.AddHours(12).AddSeconds(150));
        await using var binance = await StartBinance(time);
        var folder = TempFolder();
        string[] args = ["--symbols", "BTCUSDT", "--interval", "5m", "--from", "2021-02-10", "--to", "2021-02-11"];

        Assert.Equal(0, (await Download(binance, time, folder, args)).Exit);

        // Binance sent the 12:00 candle too, closing at 12:04:59.999: still open at 12:02:30, so not written.
        using (var http = new HttpClient())
        {
            var newest = await http.GetStringAsync($"{binance.RestUrl}/api/v3/klines?symbol=BTCUSDT&interval=5m&startTime={day.AddHours(12).ToUnixTimeMilliseconds()}");
            Assert.StartsWith($"[[{day.AddHours(12).ToUnixTimeMilliseconds()},", newest, StringComparison.Ordinal);
            Assert.Contains($",{day.AddHours(12).AddMinutes(5).ToUnixTimeMilliseconds() - 1},", newest, StringComparison.Ordinal);
        }

        var file = Path.Combine(folder, "BTCUSDT.csv.gz");
        Assert.Equal(ExpectedCsv("BTCUSDT", "5m", day, day.AddHours(12)), Decompressed(file));

        time.Advance(TimeSpan.FromHours(6));
        var (exit, output) = await Download(binance, time, folder, args);

        Assert.Equal(0, exit);
        Assert.Equal(ExpectedCsv("BTCUSDT", "5m", day, day.AddHours(18)), Decompressed(file));
        Assert.Contains("BTCUSDT: 72 new candles in 1 page; BTCUSDT.csv.gz holds 216 candles from 2021-02-10 00:00:00Z to 2021-02-10 17:55:00Z", output);
    }

    [Fact]
    public async Task Bad_arguments_exit_2_naming_each_one_before_anything_is_asked()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var folder = TempFolder();

        var (exit, output) = await Download(binance, time, folder,
            ["--symbols", "BTCUSDT,btc-usdt", "--interval", "7m", "--from", "2021-06-01", "--to", "2021-05-01", "--weight-per-minute", "7000", "--form", "x"]);
        var (monthExit, monthOutput) = await Download(binance, time, folder, ["--symbols", "BTCUSDT", "--interval", "1M", "--from", "2021-01-01", "--to", "2021-06-01"]);
        var (missingExit, missingOutput) = await Download(binance, time, folder, ["--symbols", "BTCUSDT", "--interval", "1m", "--from", "May 1st"]);

        Assert.Equal(2, exit);
        Assert.Contains("error: unknown option --form", output);
        Assert.Contains("error: --symbols: 'BTC-USDT' is not an exchange symbol", output);
        Assert.Contains("error: --interval '7m' is not a Binance kline interval: one of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w", output);
        Assert.Contains("error: --from 2021-06-01 00:00:00Z is not before --to 2021-05-01 00:00:00Z", output);
        Assert.Contains("error: --weight-per-minute '7000' is not a whole number from 1 to 6000", output);
        Assert.Contains(DataDownloadCommand.Usage, output);
        Assert.Equal(2, monthExit);
        Assert.Contains("--interval 1M: calendar months differ in length", monthOutput);
        Assert.Equal(2, missingExit);
        Assert.Contains("error: --to is required", missingOutput);
        Assert.Contains("error: --from 'May 1st' is not a date", missingOutput);
        Assert.Empty(binance.Requests);
    }

    [Fact]
    public async Task A_symbol_binance_does_not_know_exits_2_with_binances_answer_after_completing_the_symbols_before_it()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var folder = TempFolder();

        var (exit, output) = await Download(binance, time, folder, ["--symbols", "BTCUSDT,NOSUCHUSDT", "--interval", "5m", "--from", "2021-02-10", "--to", "2021-02-11"]);

        Assert.Equal(2, exit);
        Assert.Contains("error: klines of NOSUCHUSDT: binance -1121: unknown symbol (Invalid symbol.): check --symbols", output);
        Assert.Equal(ExpectedCsv("BTCUSDT", "5m", new(2021, 2, 10, 0, 0, 0, TimeSpan.Zero), new(2021, 2, 11, 0, 0, 0, TimeSpan.Zero)), Decompressed(Path.Combine(folder, "BTCUSDT.csv.gz")));
        Assert.Equal(["BTCUSDT.csv.gz"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_of_another_bar_length_or_starting_after_from_or_a_plain_csv_is_refused_with_exit_2_before_anything_is_downloaded()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var folder = TempFolder();
        Directory.CreateDirectory(folder);
        File.Copy(RepoData.File("BTCUSDT"), Path.Combine(folder, "BTCUSDT.csv.gz"));
        await File.WriteAllTextAsync(Path.Combine(folder, "LTCUSDT.csv"), CandleCsvReader.Header + "\n");

        var (exit, output) = await Download(binance, time, folder, ["--symbols", "ETHUSDT,BTCUSDT,LTCUSDT", "--interval", "1m", "--from", "2020-12-01", "--to", "2021-01-02"]);

        Assert.Equal(2, exit);
        Assert.Contains("BTCUSDT.csv.gz holds bars of 0:05:00, not 1m: download into another folder (--out)", output);
        Assert.Contains("BTCUSDT.csv.gz starts at 2021-01-01 00:00:00Z, after --from 2020-12-01 00:00:00Z: a download only extends a file forwards", output);
        Assert.Contains("LTCUSDT.csv exists: downloads write LTCUSDT.csv.gz", output);
        Assert.Empty(binance.KlinesRequests);
        Assert.Equal(["BTCUSDT.csv.gz", "LTCUSDT.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_downloaded_folder_of_1_minute_bars_is_backtested_as_1_minute_bars_with_the_exchanges_gap_kept()
    {
        var time = new FakeTimeProvider(Now);
        await using var binance = await StartBinance(time);
        var folder = TempFolder();

        var (exit, output) = await Download(binance, time, folder, ["--symbols", "BTCUSDT,ETHUSDT", "--interval", "1m", "--from", "2021-04-25", "--to", "2021-04-26"]);

        Assert.Equal(0, exit);
        Assert.Contains("BTCUSDT: 1,156 new candles in 2 pages; 1 gap of the exchange's kept, the longest between the candles of 2021-04-25 04:00 and 2021-04-25 08:45", output);
        var data = new HistoricalData(folder);
        var day = new DateTimeOffset(2021, 4, 25, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DataRange(day, day.AddDays(1).AddMinutes(-1), TimeSpan.FromMinutes(1)), data.Range("BTCUSDT"));

        // 02:00 to 10:00 holds the gap: 121 bars before it (02:00-04:00), 75 after (08:45-09:59), per symbol.
        var spec = new BacktestSpec(
            [new StrategyConfig("sma", "sma-crossover", ["BTCUSDT", "ETHUSDT"], new Dictionary<string, double> { ["fast"] = 6, ["slow"] = 24 })],
            day.AddHours(2), day.AddHours(10), []);
        var installation = new ConfigurationBuilder().Build();
        Assert.Empty(BacktestInstallation.From(installation, folder).Validate(spec));
        var run = await BacktestEngine.RunAsync(spec, installation, data, Path.Combine(folder, "..", "audit.jsonl"), progress: null, CancellationToken.None);

        Assert.Equal(2 * (121 + 75), run.Bars);
        Assert.Equal(day.AddHours(2).AddMinutes(1), run.Equity[0].Time);
        Assert.Equal(121 + 75, run.Equity.Count);
        Assert.Equal(day.AddHours(8).AddMinutes(46), run.Equity[121].Time);
    }
}
