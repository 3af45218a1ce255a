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

    /// <summary>Like <see cref="Returns{T}"/>, but a probe that throws counts as "not yet" (calls fail while a cluster fails over).</summary>
    public static Task<T> ReturnsThroughFailover<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what) =>
        Returns(async () =>
        {
            try
            {
                return (true, await probe());
            }
            catch (Exception exception) when (exception is Orleans.Runtime.OrleansException or TimeoutException)
            {
                return (false, default(T)!);
            }
        }, result => result.Item1 && condition(result.Item2), timeout, what).ContinueWith(t => t.Result.Item2, TaskScheduler.Default);
}
