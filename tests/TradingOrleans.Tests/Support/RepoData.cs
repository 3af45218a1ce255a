using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Support;

/// <summary>The real Binance klines shipped in the repository's data/ folder.</summary>
public static class RepoData
{
    public const string UsdtFolder = "data/binance-usdt-2021-5m";

    public static string File(string symbol) =>
        Path.Combine(PathResolver.FindExisting(UsdtFolder) ?? throw new DirectoryNotFoundException(UsdtFolder), $"{symbol}.csv.gz");
}
