using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// The Binance spot account: <c>GET /api/v3/account</c> (USER_DATA, signed, weight 20) with <c>omitZeroBalances=true</c>,
/// read through the broker's client (its clock, rate limits and circuit).
/// </summary>
public sealed class BinanceAccount(BinanceBroker broker, BinanceBrokerOptions options) : IVenueAccount
{
    private const int InvalidTimestamp = -1021;

    public string Venue => BinanceBroker.VenueName;

    public IReadOnlyList<string> Symbols => options.TradedSymbols;

    public async Task<AccountSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await broker.Client.SyncTimeAsync(force: false, cancellationToken);
        KeyValuePair<string, string>[] parameters = [new("omitZeroBalances", "true")];
        var response = await broker.Client.GetAsync("api/v3/account", parameters, signed: true, cancellationToken);
        if (response.Code == InvalidTimestamp)
        {
            // Our estimate of Binance's clock drifted: measure it again and ask once more.
            await broker.Client.SyncTimeAsync(force: true, cancellationToken);
            response = await broker.Client.GetAsync("api/v3/account", parameters, signed: true, cancellationToken);
        }

        if (response is not { IsSuccess: true, Code: null, Body: { } body })
        {
            throw new HttpRequestException(response.Code is { } code
                ? BinanceErrors.Describe(code, response.Message)
                : $"GET /api/v3/account answered HTTP {(int)response.Status}");
        }

        return Read(body);
    }

    /// <summary>
    /// The account payload: <c>balances</c> [{<c>asset</c>, <c>free</c>, <c>locked</c>}], <c>commissionRates.taker</c> (a
    /// fraction; the older <c>takerCommission</c> is in hundredths of a percent) and <c>updateTime</c> (ms).
    /// </summary>
    public static AccountSnapshot Read(JsonElement account)
    {
        var balances = account.GetProperty("balances").EnumerateArray()
            .Select(b => new AssetBalance(b.GetProperty("asset").GetString()!, BinanceBroker.Decimal(b, "free"), BinanceBroker.Decimal(b, "locked")))
            .ToList();
        var taker = account.TryGetProperty("commissionRates", out var rates)
            ? BinanceBroker.Decimal(rates, "taker")
            : account.GetProperty("takerCommission").GetDecimal() / 10_000m;
        return new AccountSnapshot(balances, taker, DateTimeOffset.FromUnixTimeMilliseconds(account.GetProperty("updateTime").GetInt64()));
    }
}
