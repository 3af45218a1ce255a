using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// The risk view of a trade, made from a <see cref="RiskBook"/> wherever the book is held: by risk for each order (no
/// grain call), by the portfolio and the risk figures for reads.
/// </summary>
public static class RiskBookView
{
    /// <summary>
    /// The view of a trade in <paramref name="symbol"/> ("" for none: the portfolio as it is), with the
    /// <paramref name="pending"/> signed quantities (approved orders not yet final) counted as held, at their reference
    /// price where the book has no mark of their symbol;
    /// <paramref name="alsoFlat"/> is listed even when not held (a spread's other leg). <paramref name="closes"/> are
    /// prices newer than the book's (the bar an order was decided on, when the book is behind it): they take the place of
    /// the book's marks and last prices of their symbols, in the equity and the exposures too.
    /// </summary>
    public static PortfolioRiskView Of(
        RiskBook book, string symbol, IReadOnlyDictionary<string, PendingQuantity> pending, string? alsoFlat = null, IReadOnlyDictionary<string, decimal>? closes = null)
    {
        decimal Mark(string s) => closes is not null && closes.TryGetValue(s, out var close) ? close : book.Marks.GetValueOrDefault(s);

        var (equity, gross) = (book.Equity, book.GrossExposure);
        var held = new Dictionary<string, (decimal Quantity, decimal Price)>(StringComparer.Ordinal);
        foreach (var p in book.Positions)
        {
            var price = closes is not null && closes.TryGetValue(p.Symbol, out var close) ? close : p.Price;
            (equity, gross) = (equity + p.Quantity * (price - p.Price), gross + Math.Abs(p.Quantity * price) - Math.Abs(p.Quantity * p.Price));
            held[p.Symbol] = (p.Quantity, price);
        }

        var position = held.GetValueOrDefault(symbol).Quantity;
        foreach (var (pendingSymbol, (quantity, referencePrice)) in pending)
        {
            var (heldQuantity, price) = held.GetValueOrDefault(pendingSymbol, (0m, Mark(pendingSymbol)));
            held[pendingSymbol] = (heldQuantity + quantity, price != 0 ? price : referencePrice);
        }

        if (alsoFlat is not null)
        {
            held.TryAdd(alsoFlat, (0m, Mark(alsoFlat)));
        }

        // The traded symbol goes last, held or not: the covariance terms are taken against it.
        var open = held.Where(p => p.Key != symbol && (p.Value.Quantity != 0 || p.Key == alsoFlat)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Symbol: p.Key, p.Value.Quantity, p.Value.Price)).ToList();
        if (symbol.Length > 0)
        {
            open.Add((symbol, position + pending.GetValueOrDefault(symbol).Quantity, Mark(symbol)));
        }

        string[] symbols = [.. open.Select(p => p.Symbol)];
        double[] values = [.. open.Select(p => (double)(p.Quantity * p.Price))];
        var (withTraded, variances, portfolioVariance) = Terms(book.Returns, symbols, values, symbol.Length > 0 ? symbols.Length - 1 : -1);
        return new PortfolioRiskView(
            new SymbolExposure(symbol, position, equity, gross), symbols, [.. open.Select(p => p.Quantity)], [.. open.Select(p => p.Price)],
            withTraded, book.Returns.Observations, book.Returns.BarInterval, variances, portfolioVariance, AvailableFor(book.Balances, symbol));
    }

    /// <summary>
    /// The covariance terms a trade in <paramref name="symbols"/>[<paramref name="traded"/>] needs, in O(n²) array
    /// reads with no n × n matrix made: Σ(i, traded) and Σ(i, i) per symbol (0 for a symbol never marked), and w'Σw of
    /// <paramref name="values"/>.
    /// </summary>
    public static (double[] WithTraded, double[] Variances, double PortfolioVariance) Terms(
        ReturnCovariance returns, IReadOnlyList<string> symbols, IReadOnlyList<double> values, int traded)
    {
        var n = symbols.Count;
        var index = new int[n];
        for (var i = 0; i < n; i++)
        {
            index[i] = returns.Index.TryGetValue(symbols[i], out var k) ? k : -1;
        }

        var withTraded = new double[n];
        var variances = new double[n];
        var portfolio = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (index[i] < 0)
            {
                continue;
            }

            variances[i] = returns.At(index[i], index[i]);
            withTraded[i] = traded >= 0 && index[traded] >= 0 ? returns.At(index[i], index[traded]) : 0;
            var rowSum = 0.0;
            for (var j = 0; j < n; j++)
            {
                rowSum += index[j] >= 0 ? returns.At(index[i], index[j]) * values[j] : 0;
            }

            portfolio += values[i] * rowSum;
        }

        return (withTraded, variances, portfolio);
    }

    /// <summary>The account's free quote and base balances for a trade in <paramref name="symbol"/>; null without a venue account.</summary>
    private static AvailableBalance? AvailableFor(VenueBalances? balances, string symbol)
    {
        if (balances is null)
        {
            return null;
        }

        var (quote, asset) = (balances.QuoteAsset, AccountBook.BaseAsset(symbol, balances.QuoteAsset));
        return balances.Free is { } free
            ? new AvailableBalance(quote, free.Free.GetValueOrDefault(quote), asset, free.Free.GetValueOrDefault(asset), free.TakerFeeRate, free.AsOf)
            : new AvailableBalance(quote, 0, asset, 0, 0, null);
    }
}
