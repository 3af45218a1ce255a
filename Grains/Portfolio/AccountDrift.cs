using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>How far the portfolio's cash and positions are from the venue account's balances, and which drift persists.</summary>
public static class AccountDrift
{
    /// <summary>
    /// The quote asset against cash, and each symbol's base asset against its position, as account minus portfolio in
    /// units and in the quote asset at the symbol's mark. Over the tolerance means more than <paramref name="tolerance"/>
    /// of equity; a base asset whose symbol has no mark yet cannot be valued, so any drift of it counts.
    /// </summary>
    public static IReadOnlyList<AssetDrift> Measure(AccountBook account, PortfolioSnapshot portfolio, IEnumerable<string> symbols, decimal tolerance)
    {
        var positions = portfolio.Positions.ToDictionary(p => p.Symbol, StringComparer.Ordinal);
        var drifts = new List<AssetDrift> { Compare(portfolio.QuoteAsset, null, account.Total(portfolio.QuoteAsset), portfolio.Cash, 1m, portfolio.Equity, tolerance) };
        foreach (var symbol in symbols.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var asset = AccountBook.BaseAsset(symbol, portfolio.QuoteAsset);
            var position = positions.GetValueOrDefault(symbol);
            drifts.Add(Compare(asset, symbol, account.Total(asset), position?.Quantity ?? 0, position?.LastPrice ?? 0, portfolio.Equity, tolerance));
        }

        return drifts;
    }

    private static AssetDrift Compare(string asset, string? symbol, decimal held, decimal booked, decimal price, decimal equity, decimal tolerance)
    {
        var drift = held - booked;
        var value = drift * price;
        var fraction = equity > 0 ? Math.Abs(value) / equity : value == 0 ? 0 : 1;
        return new AssetDrift(asset, symbol, held, booked, drift, value, fraction, price > 0 ? fraction > tolerance : drift != 0);
    }

    /// <summary>
    /// The drifts to adopt: over the tolerance now and, by the same amount give or take the tolerance, at the comparison
    /// before (and not adopted then). A fill on its way (booked at the venue, not yet in the portfolio) settles between
    /// two reconciliations, so it is never adopted; a transfer the stream missed, a trade made elsewhere or a fee paid in
    /// another asset stays.
    /// </summary>
    public static IReadOnlyList<AssetDrift> Persisting(IReadOnlyList<AssetDrift> now, IReadOnlyList<AssetDrift>? before, decimal tolerance, decimal equity)
    {
        if (before is null)
        {
            return [];
        }

        var earlier = before.Where(d => d.OverTolerance && !d.Adopted).ToDictionary(d => d.Asset, StringComparer.Ordinal);
        return [.. now.Where(d => d.OverTolerance && earlier.TryGetValue(d.Asset, out var seen) && Same(d, seen, tolerance, equity))];
    }

    private static bool Same(AssetDrift now, AssetDrift before, decimal tolerance, decimal equity)
    {
        var price = now.Drift != 0 ? now.Value / now.Drift : 0;
        return price > 0 && equity > 0
            ? Math.Abs(now.Drift - before.Drift) * price <= tolerance * equity
            : now.Drift == before.Drift;
    }
}
