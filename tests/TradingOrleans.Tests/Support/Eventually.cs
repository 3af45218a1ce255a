namespace TradingOrleans.Tests.Support;

/// <summary>Waits for a condition that another thread makes true (timer continuations, grain turns).</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time.");
            }

            await Task.Delay(5);
        }
    }

    public static async Task<T> Returns<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No acceptable value in time{(what is null ? "" : $" for {what}")}; last was {value}.");
            }

            await Task.Delay(50);
        }
    }
}
