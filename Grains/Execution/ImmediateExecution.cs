namespace TradingOrleans.Grains.Execution;

/// <summary>Everything at once: one market child for the whole remaining quantity.</summary>
public sealed class ImmediateExecution : IExecutionAlgorithm
{
    public string Name => "immediate";

    public Slice Next(ParentProgress context) => new(context.Remaining, "immediate: the whole quantity");
}
