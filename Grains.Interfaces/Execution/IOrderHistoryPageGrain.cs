namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>
/// One sealed page of a symbol's finished orders (key <c>{symbol}/{page}</c>): the execution grain's history, written
/// once, so the execution grain's own state holds only its live orders and the newest finished ones.
/// </summary>
public interface IOrderHistoryPageGrain : IGrainWithStringKey
{
    Task Write(IReadOnlyList<ParentOrder> orders);

    Task<IReadOnlyList<ParentOrder>> Read();

    Task Clear();
}
