using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// One per silo: bounds each grain call of the order path (signal → risk, risk → portfolio, → execution) by its timeout
/// and a circuit breaker, and derives the order path's condition — degraded (hold or reduce-only) while the circuit of
/// risk or the portfolio is open — which <c>GET /risk</c> and <c>trading.order_path.degraded</c> show.
/// </summary>
/// <remarks>
/// A call that outlives its timeout is not cancelled, only no longer waited for: its late answer is dropped (a risk
/// approval nobody executes), or, for execution, lands under the same intent id that a retry then finds.
/// </remarks>
public sealed class OrderPathGuard
{
    private readonly Dictionary<OrderPathHop, (ResiliencePipeline Pipeline, TimeSpan Timeout)> _hops = [];
    private readonly Dictionary<OrderPathHop, (string Reason, DateTimeOffset Since)> _open = [];
    private readonly OrderPathOptions _options;
    private readonly TimeProvider _time;
    private readonly TradingMetrics _metrics;
    private readonly ILogger<OrderPathGuard> _logger;
    private readonly Lock _gate = new();

    public OrderPathGuard(IOptions<OrderPathOptions> options, TimeProvider time, TradingMetrics metrics, ILogger<OrderPathGuard> logger)
    {
        (_options, _time, _metrics, _logger) = (options.Value, time, metrics, logger);
        Add(OrderPathHop.Risk, _options.RiskTimeout);
        Add(OrderPathHop.Portfolio, _options.PortfolioTimeout);
        Add(OrderPathHop.Execution, _options.ExecutionTimeout);
        metrics.OrderPathDegraded(false);
    }

    /// <summary>What passes while the portfolio does not answer (<see cref="OrderPathOptions.WhenDegraded"/>).</summary>
    public OrderPathMode WhenDegraded => _options.WhenDegraded;

    /// <summary>Degraded (hold or reduce-only) while the circuit of risk or the portfolio is open, with which and why.</summary>
    public OrderPathCondition Condition
    {
        get
        {
            lock (_gate)
            {
                return ConditionLocked();
            }
        }
    }

    /// <summary>
    /// Calls the hop within its timeout and circuit: its answer, or null and why there is none (no answer in time, the
    /// circuit open, or the call's exception).
    /// </summary>
    public async Task<(T? Answer, string? Failure)> Call<T>(OrderPathHop hop, Func<Task<T>> call) where T : class
    {
        var (pipeline, timeout) = _hops[hop];
        // Continue on the grain's scheduler: the caller goes on with its turn after the answer.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true);
        try
        {
            var answer = await pipeline.ExecuteAsync(static async (context, call) => await call().WaitAsync(context.CancellationToken), context, call);
            return (answer, null);
        }
        catch (Exception e)
        {
            return (null, Describe(hop, timeout, e));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Add(OrderPathHop hop, TimeSpan timeout)
    {
        var breaker = new CircuitBreakerStrategyOptions
        {
            FailureRatio = _options.BreakerFailureRatio,
            MinimumThroughput = _options.BreakerMinimumThroughput,
            SamplingDuration = _options.BreakerSamplingDuration,
            BreakDuration = _options.BreakerBreakDuration,
            OnOpened = args =>
            {
                Opened(hop, Describe(hop, timeout, args.Outcome.Exception));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Closed(hop);
                return ValueTask.CompletedTask;
            },
        };
        // The breaker outside the timeout, so a call that times out counts as a failure.
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(breaker)
            .AddTimeout(timeout)
            .Build();
        _hops[hop] = (pipeline, timeout);
    }

    private void Opened(OrderPathHop hop, string reason)
    {
        lock (_gate)
        {
            _open[hop] = (reason, _time.GetUtcNow());
            Changed();
        }

        _logger.LogError("Order path: the {Hop} circuit opened ({Reason}); new orders are {Mode} until it recovers", hop, reason, Condition.Mode);
    }

    private void Closed(OrderPathHop hop)
    {
        lock (_gate)
        {
            if (!_open.Remove(hop))
            {
                return;
            }

            Changed();
        }

        _logger.LogWarning("Order path: the {Hop} circuit closed; new orders are {Mode}", hop, Condition.Mode);
    }

    private void Changed() => _metrics.OrderPathDegraded(ConditionLocked().Mode != OrderPathMode.Normal);

    private OrderPathCondition ConditionLocked()
    {
        var failing = _open.Where(h => h.Key is OrderPathHop.Risk or OrderPathHop.Portfolio).OrderBy(h => h.Key).ToArray();
        if (failing.Length == 0)
        {
            return OrderPathCondition.Healthy;
        }

        // Reduce-only needs risk to judge each order; with risk itself failing, nothing can.
        var mode = _open.ContainsKey(OrderPathHop.Risk) ? OrderPathMode.Hold : _options.WhenDegraded;
        return new OrderPathCondition(mode, string.Join("; ", failing.Select(h => h.Value.Reason)), failing.Min(h => h.Value.Since));
    }

    private static string Describe(OrderPathHop hop, TimeSpan timeout, Exception? failure) => failure switch
    {
        TimeoutRejectedException => $"{Name(hop)} did not answer within {timeout.TotalMilliseconds:0} ms",
        BrokenCircuitException => $"the {Name(hop)} circuit is open after repeated failures",
        null => $"{Name(hop)} failed",
        _ => $"{Name(hop)} failed: {failure.GetType().Name}: {failure.Message}",
    };

    private static string Name(OrderPathHop hop) => hop.ToString().ToLowerInvariant();
}
