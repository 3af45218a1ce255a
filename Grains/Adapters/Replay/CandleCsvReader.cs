using System.Globalization;
using System.IO.Compression;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>
/// Reads Binance kline CSV files (<c>open_time_ms,open,high,low,close,volume</c>, optionally gzip-compressed).
/// Malformed rows are reported through a callback and skipped, never thrown.
/// </summary>
public static class CandleCsvReader
{
    /// <summary>The first line of a kline file.</summary>
    public const string Header = "open_time_ms,open,high,low,close,volume";

    /// <summary>Whether a file name is a kline file this reader takes (<c>.csv</c> or <c>.csv.gz</c>).</summary>
    public static bool IsKlineFile(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The kline file of a symbol in a folder (<c>SYMBOL.csv</c> or <c>SYMBOL.csv.gz</c>); null when there is none.</summary>
    public static string? FindFile(string folder, string symbol) =>
        Directory.EnumerateFiles(folder, symbol + ".csv*").FirstOrDefault(IsKlineFile);

    /// <summary>The symbol a data file holds: its name up to the first dot (<c>BTCUSDT.csv.gz</c> → BTCUSDT).</summary>
    public static string SymbolOf(string path) => Path.GetFileName(path).Split('.')[0].ToUpperInvariant();

    /// <summary>Streams the file's bars in file order; IngestedAt is left for the publisher to stamp.</summary>
    public static IEnumerable<Candle> Read(string path, TimeSpan interval, Action<int, string> onMalformedRow)
    {
        var symbol = SymbolOf(path);
        using var reader = Open(path);
        var header = reader.ReadLine();
        if (!string.Equals(header?.Trim(), Header, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected header '{Header}' but found '{header}'");
        }

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParse(line, symbol, interval, out var candle))
            {
                yield return candle;
            }
            else
            {
                onMalformedRow(lineNumber, line);
            }
        }
    }

    /// <summary>Parses one row; false for a wrong column count, a non-number, or inconsistent OHLC.</summary>
    public static bool TryParse(string line, string symbol, TimeSpan interval, out Candle candle)
    {
        candle = null!;
        var fields = line.Split(',');
        if (fields.Length != 6
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var openTimeMs)
            || !TryDecimal(fields[1], out var open)
            || !TryDecimal(fields[2], out var high)
            || !TryDecimal(fields[3], out var low)
            || !TryDecimal(fields[4], out var close)
            || !TryDecimal(fields[5], out var volume))
        {
            return false;
        }

        if (low <= 0 || high < low || open < low || open > high || close < low || close > high)
        {
            return false;
        }

        candle = new Candle(symbol, interval, DateTimeOffset.FromUnixTimeMilliseconds(openTimeMs), open, high, low, close, volume, default);
        return true;
    }

    private static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
        && value >= 0;

    private static StreamReader Open(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new StreamReader(stream);
    }
}
