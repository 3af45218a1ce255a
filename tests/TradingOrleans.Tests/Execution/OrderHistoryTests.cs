using Microsoft.Data.Sqlite;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// The execution grain's finished orders move to sealed history pages, so the state written after every order stays
/// small however many orders it keeps, and a restart finds the same orders (and still refuses a retried intent).
/// </summary>
public sealed class OrderHistoryTests
{
    private static OrderIntent Buy(int number) =>
        new($"BTCUSDT-history-{number}", "BTCUSDT", OrderSide.Buy, 0.001m, 30_000m, "test", Bars.Start.AddMinutes(number), DateTimeOffset.UtcNow);

    private static Task<TradingTestCluster> Start(string database) => TradingTestCluster.StartAsync(TestSettings.Quiet(database));

    [Fact]
    public async Task Hundreds_of_orders_keep_the_written_state_small_and_survive_a_restart()
    {
        var database = TestSettings.NewDatabasePath();
        const int orders = 260;
        IReadOnlyList<string> kept;
        await using (var first = await Start(database))
        {
            var execution = first.Client.GetGrain<IExecutionGrain>("BTCUSDT");
            for (var number = 1; number <= orders; number++)
            {
                Assert.Equal(OrderStatus.Filled, (await execution.Execute(Buy(number), null)).Status);
            }

            kept = [.. (await execution.GetOrders(1_000)).Select(o => o.OrderId)];
        }

        // The newest 200, newest first.
        Assert.Equal(Enumerable.Range(61, 200).Reverse().Select(n => $"BTCUSDT-history-{n}"), kept);

        // Pages of 10 sealed at 10, 20, … 260 settled orders: pages 0–25, pages 0–5 cleared once 20 newer ones exist.
        // The grain's own state holds no order (the last page took them all), not the 200 kept.
        var (executionBytes, pageBytes) = StoredSizes(database);
        Assert.Equal(20, pageBytes.Count);
        Assert.InRange(executionBytes, 1, pageBytes.Min() / 4);

        await using var second = await Start(database);
        var restarted = second.Client.GetGrain<IExecutionGrain>("BTCUSDT");
        Assert.Equal(kept, (await restarted.GetOrders(1_000)).Select(o => o.OrderId));
        // The orders read model starts empty and fills itself from the journals of the symbols with positions.
        Assert.Equal(kept, (await second.Client.GetGrain<IOrderEntryGrain>(0).GetOrders(null, 1_000)).Select(o => o.OrderId));

        // A retried intent whose order is in a history page finds it: no second order, no second fill.
        var position = (await second.Client.GetGrain<IPortfolioGrain>(0).GetExposure("BTCUSDT")).PositionQuantity;
        var retried = await restarted.Execute(Buy(100), null);
        Assert.Equal((OrderStatus.Filled, 0.001m), (retried.Status, retried.FilledQuantity));
        Assert.Equal(kept, (await restarted.GetOrders(1_000)).Select(o => o.OrderId));
        Assert.Equal(position, (await second.Client.GetGrain<IPortfolioGrain>(0).GetExposure("BTCUSDT")).PositionQuantity);
        Assert.Equal(0.26m, position);
    }

    private static (long Execution, IReadOnlyList<long> Pages) StoredSizes(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_name, length(payload) FROM grain_state WHERE state_name IN ('execution', 'order-history')";
        using var reader = command.ExecuteReader();
        long execution = 0;
        var pages = new List<long>();
        while (reader.Read())
        {
            if (reader.GetString(0) == "execution")
            {
                execution = reader.GetInt64(1);
            }
            else
            {
                pages.Add(reader.GetInt64(1));
            }
        }

        return (execution, pages);
    }
}
