using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>Applies each fill once to a <see cref="PortfolioState"/>: cash, signed positions at average cost, realized PnL apart from fees.</summary>
public sealed class PortfolioLedger(PortfolioState state)
{
    /// <summary>
    /// How many recent fills are remembered for de-duplication. Redeliveries come from retries seconds after the
    /// original, thousands of fills apart at most; remembering every fill forever would make each state write grow
    /// with the account's whole history.
    /// </summary>
    public const int FillMemory = 4_096;

    private readonly HashSet<ulong> _recentFills = [.. state.RecentFillHashes];

    /// <summary>Average costs are kept to this many places: beyond any exchange's price precision, short of decimal's noise.</summary>
    public const int AverageCostDecimals = 10;

    public void Fund(decimal initialCash)
    {
        if (state.Funded)
        {
            return;
        }

        state.InitialCash = initialCash;
        state.Cash = initialCash;
        state.Funded = true;
    }

    /// <summary>Applies a fill; false (and no change) if its id was applied before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fill's quantity or price is not positive, or its base fee negative; nothing is changed.</exception>
    public bool Apply(Fill fill)
    {
        // Checked before the id is remembered, so a broken fill changes nothing and cannot hide a corrected one.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fill.Quantity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fill.Price);
        ArgumentOutOfRangeException.ThrowIfNegative(fill.FeeInBase);

        var fillHash = FillHash(fill.FillId);
        if (!_recentFills.Add(fillHash))
        {
            return false;
        }

        state.RecentFillHashes.Add(fillHash);
        if (state.RecentFillHashes.Count > FillMemory)
        {
            _recentFills.Remove(state.RecentFillHashes[0]);
            state.RecentFillHashes.RemoveAt(0);
        }

        var traded = fill.Side == OrderSide.Buy ? fill.Quantity : -fill.Quantity;

        // A commission taken in the base asset is paid in units of the position, not in cash: as if those units were
        // sold at the fill price to pay a quote fee of the same value.
        state.Cash -= traded * fill.Price + (fill.FeeInBase > 0 ? 0 : fill.Fee);
        state.FeesPaid += fill.Fee;
        state.FillCount++;
        var signedQuantity = traded - fill.FeeInBase;
        if (signedQuantity == 0)
        {
            return true;
        }

        if (!state.Positions.TryGetValue(fill.Symbol, out var position))
        {
            state.Positions[fill.Symbol] = position = new PositionState();
        }

        var held = position.Quantity;
        if (held == 0 || Math.Sign(held) == Math.Sign(signedQuantity))
        {
            // Opening or adding: the average cost is the quantity-weighted mean of the entries.
            var total = held + signedQuantity;
            var cost = held * position.AverageCost + signedQuantity * fill.Price;
            position.AverageCost = decimal.Round(cost / total, AverageCostDecimals);
            position.Quantity = total;

            // The rounded average carries a sliver (under total × 1e-10) more or less cost than was paid. Booking that
            // sliver as realized keeps equity − initial cash == realized + unrealized − fees exact to the last digit.
            position.RealizedPnl += position.AverageCost * total - cost;
        }
        else
        {
            // Reducing, closing or flipping: the closed part realizes against the average cost.
            var closing = Math.Min(Math.Abs(signedQuantity), Math.Abs(held));
            position.RealizedPnl += (fill.Price - position.AverageCost) * closing * Math.Sign(held);
            position.Quantity = held + signedQuantity;
            if (position.Quantity == 0)
            {
                position.AverageCost = 0;
            }
            else if (Math.Sign(position.Quantity) != Math.Sign(held))
            {
                position.AverageCost = fill.Price;
            }
        }

        position.LastPrice = fill.Price;
        return true;
    }

    private static ulong FillHash(string fillId) =>
        BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fillId)));

    /// <summary>Marks a held symbol to a new price; symbols never traded are ignored.</summary>
    public void Mark(string symbol, decimal price)
    {
        if (price > 0 && state.Positions.TryGetValue(symbol, out var position))
        {
            position.LastPrice = price;
        }
    }

    public decimal Equity => state.Cash + state.Positions.Values.Sum(p => p.Quantity * p.LastPrice);

    public decimal RealizedPnl => state.Positions.Values.Sum(p => p.RealizedPnl);

    public decimal UnrealizedPnl => state.Positions.Values.Sum(p => (p.LastPrice - p.AverageCost) * p.Quantity);

    public decimal GrossExposure => state.Positions.Values.Sum(p => Math.Abs(p.Quantity * p.LastPrice));

    public SymbolExposure Exposure(string symbol) => new(
        symbol,
        state.Positions.GetValueOrDefault(symbol)?.Quantity ?? 0m,
        Equity,
        GrossExposure);

    /// <summary>Open positions (non-zero quantity) by symbol, sorted: quantity and last mark.</summary>
    public IEnumerable<(string Symbol, decimal Quantity, decimal Price)> OpenPositions =>
        state.Positions.Where(p => p.Value.Quantity != 0).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value.Quantity, p.Value.LastPrice));

    public PortfolioSnapshot Snapshot(string quoteAsset, DateTimeOffset asOf)
    {
        var positions = state.Positions
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new Position(p.Key, p.Value.Quantity, p.Value.AverageCost, p.Value.RealizedPnl, p.Value.LastPrice,
                (p.Value.LastPrice - p.Value.AverageCost) * p.Value.Quantity))
            .ToArray();
        return new PortfolioSnapshot(
            quoteAsset,
            state.InitialCash,
            state.Cash,
            Equity,
            positions.Sum(p => p.RealizedPnl),
            positions.Sum(p => p.UnrealizedPnl),
            state.FeesPaid,
            state.FillCount,
            positions,
            asOf);
    }
}
