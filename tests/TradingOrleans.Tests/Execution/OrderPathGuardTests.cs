using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Tests.Execution;

public sealed class OrderPathGuardTests
{
    private static OrderPathGuard Guard(OrderPathMode whenDegraded = OrderPathMode.Hold) =>
        new(Options.Create(new OrderPathOptions
            {
                RiskTimeout = TimeSpan.FromMilliseconds(50),
                PortfolioTimeout = TimeSpan.FromMilliseconds(50),
                BreakerBreakDuration = TimeSpan.FromSeconds(30),
                WhenDegraded = whenDegraded,
            }),
            TimeProvider.System,
            new TradingMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<OrderPathGuard>.Instance);

    private static readonly Func<Task<string>> NeverAnswers = () => new TaskCompletionSource<string>().Task;

    [Fact]
    public async Task A_hop_that_does_not_answer_in_time_fails_with_its_timeout_and_twice_opens_its_circuit_and_holds_orders()
    {
        var guard = Guard();

        var (answer, failure) = await guard.Call(OrderPathHop.Risk, NeverAnswers);
        Assert.Equal((null, "risk did not answer within 50 ms"), (answer, failure));
        Assert.Equal(OrderPathMode.Normal, guard.Condition.Mode);

        await guard.Call(OrderPathHop.Risk, NeverAnswers);
        Assert.Equal((OrderPathMode.Hold, "risk did not answer within 50 ms"), (guard.Condition.Mode, guard.Condition.Reason));
        Assert.Equal("the risk circuit is open after repeated failures", (await guard.Call(OrderPathHop.Risk, () => Task.FromResult("ok"))).Failure);
    }

    [Fact]
    public async Task A_failing_portfolio_makes_the_order_path_reduce_only_when_so_configured_but_a_failing_execution_does_not_degrade_it()
    {
        var guard = Guard(OrderPathMode.ReduceOnly);
        Func<Task<string>> throws = () => throw new InvalidOperationException("store down");

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("execution failed: InvalidOperationException: store down", (await guard.Call(OrderPathHop.Execution, throws)).Failure);
        }

        Assert.Equal(OrderPathCondition.Healthy, guard.Condition);
        for (var i = 0; i < 2; i++)
        {
            await guard.Call(OrderPathHop.Portfolio, throws);
        }

        Assert.Equal((OrderPathMode.ReduceOnly, "portfolio failed: InvalidOperationException: store down"), (guard.Condition.Mode, guard.Condition.Reason));
        Assert.Equal(("ok", null), await guard.Call(OrderPathHop.Risk, () => Task.FromResult("ok")));
    }
}
