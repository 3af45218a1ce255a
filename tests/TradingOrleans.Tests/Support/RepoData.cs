using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Support;

/// <summary>The real Binance klines shipped in the repository's data/ folder.</summary>
public static class RepoData
{
    public const string UsdtFolder = "data/binance-usdt-2021-5m";

    public static string File(string symbol) =>
        Path.Combine(PathResolver.FindExisting(UsdtFolder) ?? throw new DirectoryNotFoundException(UsdtFolder), $"{symbol}.csv.gz");

    /// <summary>A day of real 1-minute klines of BTCUSDT and ETHUSDT, 2021-04-25, with that day's maintenance gap (Fixtures/binance-usdt-2021-1m).</summary>
    public static string OneMinuteFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "binance-usdt-2021-1m");
}
