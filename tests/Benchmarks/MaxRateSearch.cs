namespace TradingOrleans.Benchmarks;

/// <summary>
/// The maximum sustainable tick rate: the highest rate at which the pipeline keeps up (achieves at least 95 % of
/// the target) and tick-to-order p99 stays within the budget (1 ms). Doubles the rate from a start until a run
/// fails, then bisects between the last pass and the first failure. Each run is a fresh <see cref="TickLoad"/>.
/// </summary>
public static class MaxRateSearch
{
    public sealed record Run(double TargetTicksPerSecond, double AchievedTicksPerSecond, int Orders, double P50Microseconds, double P99Microseconds, bool Sustained);

    public sealed record Result(string Stream, int Symbols, int StrategiesPerSymbol, double P99BudgetMicroseconds, double SecondsPerRun, double MaxSustainableTicksPerSecond, IReadOnlyList<Run> Runs);

    public static async Task<Result> RunAsync(
        int symbols, int strategies, double startRate, TimeSpan perRun, TimeSpan warmup, double p99BudgetMicroseconds, int bisections, string stream)
    {
        var runs = new List<Run>();
        async Task<bool> Try(double rate)
        {
            var load = await TickLoad.RunAsync(symbols, rate, strategies, perRun, TimeSpan.FromSeconds(1), warmup, stream);
            var sustained = load.AchievedTicksPerSecond >= 0.95 * rate && load.Orders > 0 && load.P99Microseconds <= p99BudgetMicroseconds;
            runs.Add(new Run(rate, load.AchievedTicksPerSecond, load.Orders, load.P50Microseconds, load.P99Microseconds, sustained));
            Console.Error.WriteLine($"{rate,10:F0} ticks/s target: achieved {load.AchievedTicksPerSecond:F0}, p99 {load.P99Microseconds:F0} µs over {load.Orders} orders → {(sustained ? "sustained" : "not sustained")}");
            return sustained;
        }

        double passed = 0, failed = 0;
        for (var rate = startRate; ; rate *= 2)
        {
            if (await Try(rate))
            {
                passed = rate;
            }
            else
            {
                failed = rate;
                break;
            }
        }

        for (var i = 0; i < bisections && passed > 0; i++)
        {
            var middle = Math.Round((passed + failed) / 2 / 500) * 500;
            if (middle <= passed || middle >= failed)
            {
                break;
            }

            if (await Try(middle))
            {
                passed = middle;
            }
            else
            {
                failed = middle;
            }
        }

        return new Result(stream, symbols, strategies, p99BudgetMicroseconds, perRun.TotalSeconds, passed, runs);
    }
}
