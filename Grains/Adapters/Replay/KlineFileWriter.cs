using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>One row of a kline file: its open time, and its prices and volume as the exchange wrote them.</summary>
public sealed record KlineRow(DateTimeOffset OpenTime, string Open, string High, string Low, string Close, string Volume)
{
    public string ToCsv() => string.Create(CultureInfo.InvariantCulture, $"{OpenTime.ToUnixTimeMilliseconds()},{Open},{High},{Low},{Close},{Volume}");
}

/// <summary>
/// Extends a symbol's kline file (<c>SYMBOL.csv.gz</c>, what <see cref="CandleCsvReader"/> reads) so that no stop, however
/// abrupt, leaves it truncated or corrupt: rows go, a whole page per write, to an uncompressed <c>SYMBOL.csv.part</c> beside
/// it (which starts as a copy of the file, when there is one), and <see cref="CompleteAsync"/> compresses the part into a
/// new file renamed over the old one, an atomic replacement on one file system. Readers never see the part (they take
/// <c>.csv</c> and <c>.csv.gz</c> only). After a crash the part is where the next writer continues, less any row cut short;
/// the file is always compressed from the whole part at once, so an interrupted and continued download writes the same
/// bytes as one that ran through.
/// </summary>
public sealed class KlineFileWriter : IAsyncDisposable
{
    private FileStream? _part;

    private KlineFileWriter(string folder, string symbol)
    {
        FilePath = Path.Combine(folder, $"{symbol}.csv.gz");
        PartPath = Path.Combine(folder, $"{symbol}.csv.part");
    }

    /// <summary>The kline file: written only by <see cref="CompleteAsync"/>.</summary>
    public string FilePath { get; }

    /// <summary>The rows so far, uncompressed: the file's, then the appended ones; absent until a row is appended, or left by a stopped run.</summary>
    public string PartPath { get; }

    /// <summary>The rows held at opening (the part's, or else the file's): their first and last open time and bar length.</summary>
    public DataRange? Opened { get; private set; }

    /// <summary>Rows held: the file's or part's, and those appended.</summary>
    public long Count { get; private set; }

    public DateTimeOffset? First { get; private set; }

    public DateTimeOffset? Last { get; private set; }

    /// <summary>Bytes of a row cut short by an abrupt stop, dropped from the part at opening.</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>
    /// Opens <paramref name="symbol"/>'s file in <paramref name="folder"/> (created if missing) for extension, reading
    /// where it ends: from the part a stopped run left, else from the file.
    /// </summary>
    public static async Task<KlineFileWriter> OpenAsync(string folder, string symbol, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var plain = Path.Combine(folder, $"{symbol}.csv");
        if (File.Exists(plain))
        {
            // A reader would find either file for the symbol: two would be ambiguous.
            throw new IOException($"{plain} exists: downloads write {symbol}.csv.gz; move the plain file away or download into another folder");
        }

        var writer = new KlineFileWriter(folder, symbol);
        if (File.Exists(writer.PartPath))
        {
            await writer.RepairPartAsync(cancellationToken);
            writer.Take(ReadOpenTimes(writer.PartPath));
        }
        else if (File.Exists(writer.FilePath))
        {
            writer.Take(ReadOpenTimes(writer.FilePath));
        }

        return writer;
    }

    /// <summary>Appends the rows in one write (opening the part first if needed), flushed before it returns.</summary>
    /// <remarks>Not cancellable: a page is written whole or, if the process dies meanwhile, cut short and dropped at the next opening.</remarks>
    public async Task AppendAsync(IReadOnlyList<KlineRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var page = new StringBuilder();
        var previous = Last;
        foreach (var row in rows)
        {
            if (row.OpenTime <= previous)
            {
                throw new ArgumentException($"The row of {row.OpenTime:u} does not follow the one of {previous:u}: rows go in open-time order, once each", nameof(rows));
            }

            page.Append(row.ToCsv()).Append('\n');
            previous = row.OpenTime;
        }

        _part ??= await OpenPartAsync();

        await _part.WriteAsync(Encoding.UTF8.GetBytes(page.ToString()));
        await _part.FlushAsync();
        First ??= rows[0].OpenTime;
        Last = rows[^1].OpenTime;
        Count += rows.Count;
    }

    /// <summary>
    /// Compresses the part into the file (a new file, flushed to disk, renamed over the old one) and deletes the part;
    /// nothing to do when no row was appended and no part was left.
    /// </summary>
    public async Task CompleteAsync()
    {
        if (_part is not null)
        {
            await _part.DisposeAsync();
            _part = null;
        }

        if (!File.Exists(PartPath))
        {
            return;
        }

        var written = FilePath + ".tmp";
        await using (var target = new FileStream(written, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await using (var gzip = new GZipStream(target, CompressionLevel.Optimal, leaveOpen: true))
            await using (var part = File.OpenRead(PartPath))
            {
                await part.CopyToAsync(gzip);
            }

            target.Flush(flushToDisk: true);
        }

        File.Move(written, FilePath, overwrite: true);
        File.Delete(PartPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (_part is not null)
        {
            await _part.DisposeAsync();
        }
    }

    private void Take(List<DateTimeOffset> openTimes)
    {
        Opened = DataRange.Of(openTimes);
        Count = openTimes.Count;
        First = openTimes.Count > 0 ? openTimes[0] : null;
        Last = openTimes.Count > 0 ? openTimes[^1] : null;
    }

    /// <summary>The open times of a kline file's rows (the part is read as a plain one: it is named like the file, less the .gz).</summary>
    private static List<DateTimeOffset> ReadOpenTimes(string path) =>
        [.. CandleCsvReader.Read(path, TimeSpan.Zero, (_, _) => { }).Select(bar => bar.OpenTime)];

    /// <summary>Cuts the part after its last complete row: appends are whole lines, so only the tail of the last one can be missing.</summary>
    private async Task RepairPartAsync(CancellationToken cancellationToken)
    {
        await using var part = new FileStream(PartPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var end = part.Length;
        var buffer = new byte[4096];
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            part.Position = start;
            await part.ReadExactlyAsync(buffer.AsMemory(0, (int)(end - start)), cancellationToken);
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(end - start) - 1);
            if (newline >= 0)
            {
                end = start + newline + 1;
                break;
            }

            end = start;
        }

        DroppedBytes = part.Length - end;
        part.SetLength(end);
    }

    /// <summary>The part, for appending: a copy of the file when there is one, else a header; made under another name and renamed, so a part is never half made.</summary>
    private async Task<FileStream> OpenPartAsync()
    {
        if (!File.Exists(PartPath))
        {
            var made = PartPath + ".tmp";
            await using (var part = new FileStream(made, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                if (File.Exists(FilePath))
                {
                    await using (var file = new GZipStream(File.OpenRead(FilePath), CompressionMode.Decompress))
                    {
                        await file.CopyToAsync(part);
                    }

                    // A file from elsewhere may lack the newline after its last row: the first appended row must not join it.
                    part.Position = part.Length - 1;
                    if (part.ReadByte() != '\n')
                    {
                        part.WriteByte((byte)'\n');
                    }
                }
                else
                {
                    await part.WriteAsync(Encoding.UTF8.GetBytes(CandleCsvReader.Header + "\n"));
                }

                part.Flush(flushToDisk: true);
            }

            File.Move(made, PartPath, overwrite: true);
        }

        return new FileStream(PartPath, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}
