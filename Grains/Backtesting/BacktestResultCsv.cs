using System.Globalization;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>Reads back the trades and equity files <see cref="BacktestResult.WriteAsync"/> wrote, for clients that want them as JSON.</summary>
public static class BacktestResultCsv
{
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    /// <summary>The fills of <see cref="BacktestResult.TradesFile"/> (<c>time,symbol,side,quantity,price,fee,order_id</c>).</summary>
    public static async Task<IReadOnlyList<BacktestFill>> ReadFillsAsync(string path, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(path, cancellationToken)).Select(f => new BacktestFill(
            DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture, Utc), f[1], Enum.Parse<OrderSide>(f[2]), Number(f[3]), Number(f[4]), Number(f[5]),
            // The order id is the last column: any comma in it stays in it.
            string.Join(',', f[6..])))];

    /// <summary>The samples of <see cref="BacktestResult.EquityFile"/> (<c>time,equity,buy_and_hold,gross_exposure</c>).</summary>
    public static async Task<IReadOnlyList<EquitySample>> ReadEquityAsync(string path, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(path, cancellationToken)).Select(e => new EquitySample(
            DateTimeOffset.Parse(e[0], CultureInfo.InvariantCulture, Utc), Number(e[1]), Number(e[2]), Number(e[3])))];

    private static decimal Number(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The rows after the header, split on commas (the files hold numbers, symbols and ids, never quoted text).</summary>
    private static async Task<IEnumerable<string[]>> RowsAsync(string path, CancellationToken cancellationToken) =>
        (await File.ReadAllLinesAsync(path, cancellationToken)).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(','));
}
