using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// Applies each fill and transfer once to a <see cref="PortfolioState"/>: cash, signed positions at average cost, realized
/// PnL apart from fees, and the value brought in or taken out without trading.
/// </summary>
public sealed class PortfolioLedger(PortfolioState state)
{
    /// <summary>
    /// How many recent fills (and transfers) are remembered for de-duplication. Redeliveries come from retries seconds
    /// after the original, thousands of fills apart at most; remembering every fill forever would make each state write
    /// grow with the account's whole history.
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

    /// <summary>
    /// Takes the venue account's holdings as the book: its quote balance as cash, each symbol's base balance as the
    /// position, valued at <paramref name="marks"/> (unpriced where a symbol has none yet). A book funded from the account
    /// already keeps its figures; one funded from configuration (paper trading) is replaced, fills and fees included.
    /// </summary>
    /// <returns>True when the holdings were taken.</returns>
    public bool FundFromAccount(AccountHoldings holdings, IReadOnlyDictionary<string, decimal> marks)
    {
        if (state.Funded && state.Funding == PortfolioFunding.Account)
        {
            return false;
        }

        state.InitialCash = holdings.Cash;
        state.Cash = holdings.Cash;
        state.NetTransfers = 0;
        state.FeesPaid = 0;
        state.FillCount = 0;
        state.Positions.Clear();
        foreach (var (symbol, quantity) in holdings.Positions)
        {
            state.Positions[symbol] = new PositionState { LastPrice = Math.Max(0, marks.GetValueOrDefault(symbol)) };
            BringIn(symbol, quantity);
        }

        state.Funded = true;
        state.Funding = PortfolioFunding.Account;
        return true;
    }

    /// <summary>
    /// Applies a transfer once per id: a quote-asset one moves cash; a symbol's moves its position without cash, at the
    /// symbol's last price — or, while it has none, unpriced until the first price seen (a mark or a fill), which then
    /// sets those units' cost. Either way the value moved adds to <see cref="PortfolioState.NetTransfers"/>, so it is
    /// capital brought in or taken out, not profit.
    /// </summary>
    /// <returns>False (and no change) if its id was applied before, or it moves nothing.</returns>
    public bool Transfer(HoldingTransfer transfer)
    {
        if (transfer.Quantity == 0 || !Remember(transfer.TransferId))
        {
            return false;
        }

        if (transfer.Symbol is null)
        {
            state.Cash += transfer.Quantity;
            state.NetTransfers += transfer.Quantity;
        }
        else
        {
            BringIn(transfer.Symbol, transfer.Quantity);
        }

        return true;
    }

    /// <summary>Moves <paramref name="quantity"/> units into (or out of) a symbol's position without cash, priced at its last price if it has one.</summary>
    private void BringIn(string symbol, decimal quantity)
    {
        var position = PositionOf(symbol);
        if (position.LastPrice > 0)
        {
            Move(position, quantity, position.LastPrice);
            state.NetTransfers += quantity * position.LastPrice;
        }
        else
        {
            position.Quantity += quantity;
            position.UnpricedQuantity += quantity;
        }
    }

    /// <summary>Values a position's unpriced units at the first price seen for its symbol, which becomes their cost.</summary>
    private void PriceTransfers(PositionState position, decimal price)
    {
        if (position.UnpricedQuantity == 0)
        {
            return;
        }

        var units = position.UnpricedQuantity;
        position.UnpricedQuantity = 0;
        position.Quantity -= units;
        Move(position, units, price);
        state.NetTransfers += units * price;
    }

    /// <summary>Applies a fill; false (and no change) if its id was applied before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fill's quantity or price is not positive, or its base fee negative; nothing is changed.</exception>
    public bool Apply(Fill fill)
    {
        // Checked before the id is remembered, so a broken fill changes nothing and cannot hide a corrected one.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fill.Quantity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fill.Price);
        ArgumentOutOfRangeException.ThrowIfNegative(fill.FeeInBase);

        if (!Remember(fill.FillId))
        {
            return false;
        }

        var traded = fill.Side == OrderSide.Buy ? fill.Quantity : -fill.Quantity;

        // A commission taken in the base asset is paid in units of the position, not in cash: as if those units were
        // sold at the fill price to pay a quote fee of the same value.
        state.Cash -= traded * fill.Price + (fill.FeeInBase > 0 ? 0 : fill.Fee);
        state.FeesPaid += fill.Fee;
        state.FillCount++;
        if (state.Positions.TryGetValue(fill.Symbol, out var held))
        {
            PriceTransfers(held, fill.Price);
        }

        var signedQuantity = traded - fill.FeeInBase;
        if (signedQuantity == 0)
        {
            return true;
        }

        Move(PositionOf(fill.Symbol), signedQuantity, fill.Price);
        return true;
    }

    /// <summary>Whether <paramref name="id"/> (a fill's or a transfer's) is new; remembers it.</summary>
    private bool Remember(string id)
    {
        var hash = IdHash(id);
        if (!_recentFills.Add(hash))
        {
            return false;
        }

        state.RecentFillHashes.Add(hash);
        if (state.RecentFillHashes.Count > FillMemory)
        {
            _recentFills.Remove(state.RecentFillHashes[0]);
            state.RecentFillHashes.RemoveAt(0);
        }

        return true;
    }

    private PositionState PositionOf(string symbol)
    {
        if (!state.Positions.TryGetValue(symbol, out var position))
        {
            state.Positions[symbol] = position = new PositionState();
        }

        return position;
    }

    /// <summary>Moves a position by <paramref name="signedQuantity"/> at <paramref name="price"/>: its average cost, realized PnL and last price.</summary>
    private static void Move(PositionState position, decimal signedQuantity, decimal price)
    {
        var held = position.Quantity;
        if (held == 0 || Math.Sign(held) == Math.Sign(signedQuantity))
        {
            // Opening or adding: the average cost is the quantity-weighted mean of the entries.
            var total = held + signedQuantity;
            var cost = held * position.AverageCost + signedQuantity * price;
            position.AverageCost = decimal.Round(cost / total, AverageCostDecimals);
            position.Quantity = total;

            // The rounded average carries a sliver (under total × 1e-10) more or less cost than was paid. Booking that
            // sliver as realized keeps equity − initial cash − net transfers == realized + unrealized − fees exact to the last digit.
            position.RealizedPnl += position.AverageCost * total - cost;
        }
        else
        {
            // Reducing, closing or flipping: the closed part realizes against the average cost.
            var closing = Math.Min(Math.Abs(signedQuantity), Math.Abs(held));
            position.RealizedPnl += (price - position.AverageCost) * closing * Math.Sign(held);
            position.Quantity = held + signedQuantity;
            if (position.Quantity == 0)
            {
                position.AverageCost = 0;
            }
            else if (Math.Sign(position.Quantity) != Math.Sign(held))
            {
                position.AverageCost = price;
            }
        }

        position.LastPrice = price;
    }

    private static ulong IdHash(string id) =>
        BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));

    /// <summary>Marks a held symbol to a new price (pricing units brought in without one); symbols never held are ignored.</summary>
    public void Mark(string symbol, decimal price)
    {
        if (price > 0 && state.Positions.TryGetValue(symbol, out var position))
        {
            PriceTransfers(position, price);
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
            asOf,
            state.NetTransfers);
    }
}
