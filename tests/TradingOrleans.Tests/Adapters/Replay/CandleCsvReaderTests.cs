using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Replay;

public sealed class CandleCsvReaderTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Reads_the_shipped_BTCUSDT_file_with_its_first_bar_exact()
    {
        var malformed = 0;
        var candles = CandleCsvReader.Read(RepoData.File("BTCUSDT"), FiveMinutes, (_, _) => malformed++).ToList();

        // data/README.md: 38,059 five-minute bars from 2021-01-01 00:00 UTC; first row of the source file:
        // 1609459200000,28923.63,29017.5,28913.12,28975.65,182.889878
        Assert.Equal(38_059, candles.Count);
        Assert.Equal(0, malformed);
        var first = candles[0];
        Assert.Equal(("BTCUSDT", new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)), (first.Symbol, first.OpenTime));
        Assert.Equal((28923.63m, 29017.5m, 28913.12m, 28975.65m, 182.889878m), (first.Open, first.High, first.Low, first.Close, first.Volume));
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 5, 0, TimeSpan.Zero), first.CloseTime);
    }

    [Fact]
    public void Malformed_rows_are_reported_with_their_line_and_skipped()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ETHUSDT-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path,
        [
            "open_time_ms,open,high,low,close,volume",
            "1609459200000,736.42,739.0,734.58,737.85,2245.31",
            "1609459500000,737.8,abc,736.0,737.1,100",    // not a number
            "1609459800000,737.1,738.0",                   // too few columns
            "1609460100000,737.1,730.0,736.0,737.0,100",   // high below low
            "1609460400000,737.0,738.5,736.2,738.1,842.7",
        ]);
        var reported = new List<int>();

        var candles = CandleCsvReader.Read(path, FiveMinutes, (line, _) => reported.Add(line)).ToList();

        Assert.Equal([3, 4, 5], reported);
        Assert.Equal([737.85m, 738.1m], candles.Select(c => c.Close));
        Assert.Equal("ETHUSDT", candles[0].Symbol[..7]);
    }

    [Fact]
    public void A_file_without_the_kline_header_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"BTCUSDT-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["time,price", "1,2"]);

        var error = Assert.Throws<InvalidDataException>(() => CandleCsvReader.Read(path, FiveMinutes, (_, _) => { }).ToList());
        Assert.Contains("open_time_ms,open,high,low,close,volume", error.Message);
    }
}
