using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// The venue account's balances as the service knows them: each asset as of the venue's time of the change that set it.
/// A read of the whole account and the user-data stream's events arrive in no set order (a read can be answered after
/// events newer than it), so each figure is taken only if it is not older than the one held: an absolute balance (read,
/// <c>outboundAccountPosition</c>) replaces one of its time or older; a transfer's delta (<c>balanceUpdate</c>) applies
/// only if it cleared after the balance held was set, since a balance set at or after that time includes it.
/// </summary>
public sealed class AccountBook
{
    private readonly Dictionary<string, (decimal Free, decimal Locked, DateTimeOffset UpdatedAt)> _assets = new(StringComparer.Ordinal);

    /// <summary>The venue's time of the newest change known; null before the first read.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    public decimal TakerFeeRate { get; private set; }

    /// <summary>Every asset with a balance, by name.</summary>
    public IReadOnlyList<AssetBalance> Balances =>
        [.. _assets.Where(a => a.Value.Free != 0 || a.Value.Locked != 0).OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new AssetBalance(a.Key, a.Value.Free, a.Value.Locked))];

    /// <summary>An asset's free balance (0 for one the account does not hold).</summary>
    public decimal Free(string asset) => _assets.TryGetValue(asset, out var held) ? held.Free : 0;

    /// <summary>An asset's balance, free and locked (0 for one the account does not hold).</summary>
    public decimal Total(string asset) => _assets.TryGetValue(asset, out var held) ? held.Free + held.Locked : 0;

    /// <summary>
    /// A read of the whole account. It lists every asset it holds (or those not zero): an asset it leaves out that was
    /// last set no later than the read holds nothing now.
    /// </summary>
    public void Take(AccountSnapshot read)
    {
        TakerFeeRate = read.TakerFeeRate;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var balance in read.Balances)
        {
            listed.Add(balance.Asset);
            Set(balance, read.UpdatedAt);
        }

        foreach (var asset in _assets.Keys.Where(a => !listed.Contains(a)).ToList())
        {
            Set(new AssetBalance(asset, 0, 0), read.UpdatedAt);
        }

        Seen(read.UpdatedAt);
    }

    /// <summary>An account change's balances; true if any was newer than what was held.</summary>
    public bool Take(AccountPositionUpdate update)
    {
        var changed = false;
        foreach (var balance in update.Balances)
        {
            changed |= Set(balance, update.UpdatedAt);
        }

        Seen(update.UpdatedAt);
        return changed;
    }

    /// <summary>A transfer's delta, unless the balance held was set at or after it cleared; true if it applied.</summary>
    public bool Take(BalanceTransfer transfer)
    {
        var held = _assets.GetValueOrDefault(transfer.Asset);
        if (_assets.ContainsKey(transfer.Asset) && transfer.ClearedAt <= held.UpdatedAt)
        {
            return false;
        }

        _assets[transfer.Asset] = (held.Free + transfer.Delta, held.Locked, transfer.ClearedAt);
        Seen(transfer.ClearedAt);
        return true;
    }

    /// <summary>The quote asset's balance as cash, and each symbol's base-asset balance where it is not zero.</summary>
    public AccountHoldings Holdings(string quoteAsset, IEnumerable<string> symbols) => new(
        Total(quoteAsset),
        symbols.Select(symbol => (Symbol: symbol, Quantity: Total(BaseAsset(symbol, quoteAsset))))
            .Where(h => h.Quantity != 0)
            .ToDictionary(h => h.Symbol, h => h.Quantity, StringComparer.Ordinal));

    /// <summary>The free balance of every asset, for risk.</summary>
    public IReadOnlyDictionary<string, decimal> FreeBalances() =>
        _assets.ToDictionary(a => a.Key, a => a.Value.Free, StringComparer.Ordinal);

    /// <summary>The asset a symbol quoted in <paramref name="quoteAsset"/> trades (every traded symbol is quoted in it).</summary>
    public static string BaseAsset(string symbol, string quoteAsset) =>
        symbol.EndsWith(quoteAsset, StringComparison.Ordinal) ? symbol[..^quoteAsset.Length] : symbol;

    private bool Set(AssetBalance balance, DateTimeOffset at)
    {
        if (_assets.TryGetValue(balance.Asset, out var held) && at < held.UpdatedAt)
        {
            return false;
        }

        _assets[balance.Asset] = (balance.Free, balance.Locked, at);
        return true;
    }

    private void Seen(DateTimeOffset at)
    {
        if (UpdatedAt is not { } known || at > known)
        {
            UpdatedAt = at;
        }
    }
}
