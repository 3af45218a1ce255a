using Orleans.Concurrency;

namespace TradingOrleans.Grains.Interfaces.Portfolio;

/// <summary>
/// The venue account (key 0) in <c>Testnet</c> and <c>Live</c>: its balances, read at start and followed on the
/// user-data stream, the portfolio funded from them, and their periodic reconciliation with the portfolio. Without a
/// venue account (<c>Paper</c>) it holds nothing.
/// </summary>
public interface IAccountGrain : IGrainWithIntegerKey
{
    /// <summary>Activates it, which starts the periodic reconciliation (its first at once); every silo calls it at start.</summary>
    Task Start();

    /// <summary>An account change's balances from the user-data stream (<c>outboundAccountPosition</c>).</summary>
    [OneWay]
    Task OnPositionUpdate(AccountPositionUpdate update);

    /// <summary>A deposit or withdrawal from the user-data stream (<c>balanceUpdate</c>): the account's balance and the portfolio's holding move.</summary>
    [OneWay]
    Task OnTransfer(BalanceTransfer transfer);

    /// <summary>Reads the account again and compares it with the portfolio; null without a venue account.</summary>
    Task<AccountReconciliation?> Reconcile(string trigger);

    /// <summary>The account's balances and the last reconciliation; null without a venue account.</summary>
    Task<AccountView?> GetAccount();
}
