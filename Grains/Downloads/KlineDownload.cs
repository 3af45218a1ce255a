using System.Globalization;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Adapters.Replay;

namespace TradingOrleans.Grains.Downloads;

/// <summary>What to download: each symbol's closed klines of <see cref="Interval"/> opening from <see cref="From"/> to before <see cref="To"/>.</summary>
/// <param name="Folder">Where the <c>SYMBOL.csv.gz</c> files go.</param>
/// <param name="WeightPerMinute">The request weight a minute the download stays within (the IP's, as Binance reports it).</param>
public sealed record KlineDownloadRequest(IReadOnlyList<string> Symbols, string Interval, DateTimeOffset From, DateTimeOffset To, string Folder, int WeightPerMinute)
{
    public TimeSpan BarLength => BinanceKlineIntervals.FixedLength[Interval];
}

/// <summary>The files cannot be extended as asked (another bar length, an earlier start): nothing was downloaded.</summary>
public sealed class KlineDownloadRefusedException(IReadOnlyList<string> reasons) : Exception(string.Join(Environment.NewLine, reasons))
{
    public IReadOnlyList<string> Reasons { get; } = reasons;
}

/// <summary>
/// Downloads closed klines from Binance into kline files, each continuing after the last candle its file holds: pages of
/// <see cref="BinanceKlineSource.PageLimit"/> from <c>GET /api/v3/klines</c>, each starting just past the previous page's
/// last open time, until the request's end or the newest closed candle. Exchange gaps stay gaps (no candle is made up), and
/// a candle still open is left for a later run. Progress, candles per symbol, pages and used weight, goes to the output.
/// </summary>
public sealed class KlineDownload
{
    private readonly BinanceRestClient _client;
    private readonly KlineDownloadRequest _request;
    private readonly TextWriter _output;
    private readonly BinanceKlineSource _source;

    public KlineDownload(BinanceRestClient client, KlineDownloadRequest request, TextWriter output)
    {
        (_client, _request, _output) = (client, request, output);
        _source = new BinanceKlineSource(client, retryAfter => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.NewLine}Binance answered 429 (too many requests): waiting{(retryAfter is { } wait ? $" {wait.TotalSeconds:0.###} s," : "")} as it asks, before asking again")));
    }

    /// <summary>
    /// Checks every symbol's file first (a refusal downloads nothing), then downloads the symbols one after the other.
    /// Whatever stops it, every page downloaded is in its file: a stopped symbol's file is completed before the exception leaves.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var files = new List<KlineFileWriter>();
        try
        {
            var refusals = new List<string>();
            foreach (var symbol in _request.Symbols)
            {
                try
                {
                    var file = await KlineFileWriter.OpenAsync(_request.Folder, symbol, cancellationToken);
                    files.Add(file);
                    refusals.AddRange(Refusals(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    refusals.Add($"{symbol}: {e.Message}");
                }
            }

            if (refusals.Count > 0)
            {
                throw new KlineDownloadRefusedException(refusals);
            }

            foreach (var (symbol, file) in _request.Symbols.Zip(files))
            {
                await DownloadAsync(symbol, file, cancellationToken);
            }
        }
        finally
        {
            foreach (var file in files)
            {
                await file.DisposeAsync();
            }
        }
    }

    /// <summary>Why a file cannot be extended with this request's bars.</summary>
    private IEnumerable<string> Refusals(KlineFileWriter file)
    {
        if (file.Opened is { } held && held.Interval != _request.BarLength)
        {
            yield return $"{file.FilePath} holds bars of {held.Interval:g}, not {_request.Interval}: download into another folder (--out)";
        }

        if (file.First is { } first && _request.From < first)
        {
            yield return $"{file.FilePath} starts at {first:u}, after --from {_request.From:u}: a download only extends a file forwards; download into another folder (--out) or move the file away";
        }
    }

    private async Task DownloadAsync(string symbol, KlineFileWriter file, CancellationToken cancellationToken)
    {
        var bar = _request.BarLength;
        if (file.DroppedBytes > 0)
        {
            _output.WriteLine($"{symbol}: {file.PartPath} ended in a row cut short by an abrupt stop: dropped it ({file.DroppedBytes} bytes), continuing after the last whole row");
        }

        if (file.Last is { } held && held + bar >= _request.To)
        {
            await file.CompleteAsync();
            _output.WriteLine($"{symbol}: nothing to download, {SymbolProgress.Held(file)}");
            return;
        }

        if (file.Last is { } end && end + bar < _request.From)
        {
            _output.WriteLine($"{symbol}: continuing after the file's last candle, {end:u}, so the file has no hole before --from");
        }

        var progress = new SymbolProgress(symbol, file.Last);
        try
        {
            // Past the last open time held: a page starts at the first candle not in the file.
            var start = file.Last is { } last ? last.AddMilliseconds(1) : _request.From;
            while (true)
            {
                var page = await _source.PageAsync(symbol, _request.Interval, start, _request.To.AddMilliseconds(-1), cancellationToken);
                var now = _client.ServerNow;
                var asked = page.Klines.Where(k => k.OpenTime >= start && k.OpenTime < _request.To).ToList();
                // Binance's newest kline is the one still open: it is left for a run after it closes.
                var closed = asked.TakeWhile(k => k.CloseTime < now).ToList();
                await file.AppendAsync([.. closed.Select(k => new KlineRow(k.OpenTime, k.Open, k.High, k.Low, k.Close, k.Volume))]);
                progress.Add(closed, bar, page.UsedWeight);
                _output.Write(progress.Describe(_request.WeightPerMinute));
                if (page.UsedWeight >= _request.WeightPerMinute)
                {
                    // The client holds the next request until the minute turns.
                    _output.Write("(the minute's weight is used: the next request waits for the next minute) ");
                }

                if (page.Klines.Count < BinanceKlineSource.PageLimit || closed.Count == 0 || closed.Count < asked.Count)
                {
                    break;
                }

                start = closed[^1].OpenTime.AddMilliseconds(1);
            }
        }
        finally
        {
            // A stop keeps every whole page: the file is complete up to its last row, and the next run continues there.
            await file.CompleteAsync();
            if (progress.Pages > 0)
            {
                _output.WriteLine();
            }

            _output.WriteLine(progress.Summary(file));
        }
    }

    /// <summary>One symbol's download so far: pages, new candles, the gaps between them, the weight Binance last reported.</summary>
    private sealed class SymbolProgress(string symbol, DateTimeOffset? last)
    {
        private long _candles;
        private int _gaps;
        private (DateTimeOffset From, DateTimeOffset To)? _longestGap;
        private long? _usedWeight;
        private DateTimeOffset? _last = last;

        public int Pages { get; private set; }

        public void Add(IReadOnlyList<BinanceKline> klines, TimeSpan bar, long? usedWeight)
        {
            Pages++;
            _candles += klines.Count;
            _usedWeight = usedWeight ?? _usedWeight;
            foreach (var kline in klines)
            {
                if (_last is { } previous && kline.OpenTime - previous > bar)
                {
                    _gaps++;
                    if (_longestGap is not { } longest || kline.OpenTime - previous > longest.To - longest.From)
                    {
                        _longestGap = (previous, kline.OpenTime);
                    }
                }

                _last = kline.OpenTime;
            }
        }

        public string Describe(int weightPerMinute) => string.Create(CultureInfo.InvariantCulture,
            $"\r{symbol}: page {Pages}, {_candles:N0} candles, up to {_last:yyyy-MM-dd HH:mm}, weight {_usedWeight}/{weightPerMinute} ");

        public string Summary(KlineFileWriter file)
        {
            var gaps = _longestGap is { } longest
                ? string.Create(CultureInfo.InvariantCulture,
                    $"; {Count(_gaps, "gap")} of the exchange's kept, the longest between the candles of {longest.From:yyyy-MM-dd HH:mm} and {longest.To:yyyy-MM-dd HH:mm}")
                : "";
            return $"{symbol}: {Count(_candles, "new candle")} in {Count(Pages, "page")}{gaps}; {Held(file)}";
        }

        public static string Held(KlineFileWriter file) => file.First is { } first
            ? string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file.FilePath)} holds {Count(file.Count, "candle")} from {first:u} to {file.Last:u}")
            : $"{Path.GetFileName(file.FilePath)} holds no candles";

        private static string Count(long count, string what) => string.Create(CultureInfo.InvariantCulture, $"{count:N0} {what}{(count == 1 ? "" : "s")}");
    }
}
