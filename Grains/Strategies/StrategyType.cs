using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Everything the service knows about one strategy algorithm: its definition (name, description, parameters),
/// the rules its parameters must satisfy together, and how to build it — a single-symbol strategy or a pair model.
/// </summary>
public sealed record StrategyType(
    StrategyDefinition Definition,
    IReadOnlyList<ParameterRule> Rules,
    Func<string, string, StrategyParameters, IStrategy>? CreateSingle = null,
    Func<StrategyParameters, IPairModel>? CreatePair = null,
    Func<string, string, StrategyParameters, ModelStore, IStrategy>? CreateFromModel = null)
{
    /// <summary>A single-symbol type: built once per symbol of a config from (strategy id, symbol, parameters).</summary>
    public static StrategyType Single(
        string type, string description, IReadOnlyList<StrategyParameter> parameters, Func<string, string, StrategyParameters, IStrategy> create,
        params ParameterRule[] rules) =>
        new(new StrategyDefinition(type, description, false, parameters), rules, create);

    /// <summary>
    /// A single-symbol type served by a trained model of kind <paramref name="type"/>: its first parameter is the
    /// model <c>version</c>, loaded from the model store when built (null when there is none) and passed to <paramref name="create"/>.
    /// </summary>
    public static StrategyType Modelled(
        string type, string description, IReadOnlyList<StrategyParameter> parameters, Func<string, string, StrategyParameters, ModelFile?, IStrategy> create,
        params ParameterRule[] rules) =>
        new(new StrategyDefinition(type, description, false, [ModelVersion, .. parameters], Model: type), rules,
            CreateFromModel: (id, symbol, p, models) => create(id, symbol, p, models.Load(type, symbol, p.Whole(ModelVersion.Name))));

    private static readonly StrategyParameter ModelVersion =
        StrategyParameter.Whole("version", 0, 0, 100_000, "Model version to load (0 = the latest trained for the symbol)");

    /// <summary>A pair type: one model per config on its two symbols [A, B].</summary>
    public static StrategyType Pair(
        string type, string description, IReadOnlyList<StrategyParameter> parameters, Func<StrategyParameters, IPairModel> create,
        params ParameterRule[] rules) =>
        new(new StrategyDefinition(type, description, true, parameters), rules, CreatePair: create);
}

/// <summary>A constraint between parameters, reported on <see cref="Field"/> (as <c>parameters.{Field}</c>) when it fails.</summary>
public sealed record ParameterRule(string Field, Func<StrategyParameters, bool> Holds, Func<StrategyParameters, string> Problem)
{
    /// <summary>The rule "<paramref name="lower"/> &lt; <paramref name="upper"/>", reported on the lower one.</summary>
    public static ParameterRule Below(string lower, string upper) =>
        new(lower, p => p[lower] < p[upper], p => $"Must be below {upper} ({p[upper]}); got {p[lower]}.");
}
