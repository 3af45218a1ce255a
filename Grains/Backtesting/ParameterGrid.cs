using System.Globalization;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// The values a sweep tries for each parameter of one strategy, written <c>fast=5..30:5 slow=20..100:20</c> (a range,
/// both ends included, and its step) or <c>fast=5,8,13</c> (a list); every combination is one strategy config.
/// </summary>
public sealed record ParameterGrid(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Axes)
{
    /// <summary>The most combinations one sweep tries.</summary>
    public const int MaxCombinations = 10_000;

    public int Count => Axes.Aggregate(1, (count, axis) => count * axis.Values.Count);

    /// <summary>The grid <paramref name="text"/> describes.</summary>
    /// <exception cref="FormatException">A term that is not <c>name=from..to:step</c> or <c>name=a,b,c</c>, a step not above 0, a name given twice, or too many combinations.</exception>
    public static ParameterGrid Parse(string text)
    {
        var axes = new List<(string, IReadOnlyList<double>)>();
        foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, values) = term.Split('=', 2) is [var n, var v] && n.Length > 0
                ? (n, v)
                : throw new FormatException($"--sweep: '{term}' is not name=from..to:step or name=a,b,c.");
            if (axes.Any(a => a.Item1 == name))
            {
                throw new FormatException($"--sweep: {name} is given twice.");
            }

            axes.Add((name, values.Contains("..", StringComparison.Ordinal) ? Range(name, values) : values.Split(',').Select(x => Number(name, x)).Distinct().ToList()));
        }

        var grid = axes.Count > 0 ? new ParameterGrid(axes) : throw new FormatException("--sweep: no parameter to vary (e.g. fast=5..30:5 slow=20..100:20).");
        return grid.Count <= MaxCombinations ? grid : throw new FormatException($"--sweep: {grid.Count} combinations; at most {MaxCombinations}.");
    }

    /// <summary>Every combination, applied to <paramref name="strategy"/>'s parameters, in order (the first axis slowest).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Combinations(StrategyConfig strategy)
    {
        IEnumerable<Dictionary<string, double>> combinations = [new Dictionary<string, double>(strategy.Parameters, StringComparer.Ordinal)];
        foreach (var (name, values) in Axes)
        {
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, double>(c, StringComparer.Ordinal) { [name] = v }));
        }

        return [.. combinations];
    }

    /// <summary>The varied parameters of a combination, as the sweep names it: <c>fast=5 slow=20</c>.</summary>
    public string Describe(IReadOnlyDictionary<string, double> parameters) =>
        string.Join(' ', Axes.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Name}={parameters[a.Name]}")));

    private static List<double> Range(string name, string text)
    {
        var (bounds, step) = text.Split(':', 2) is [var b, var s] ? (b, Number(name, s)) : (text, 1.0);
        var (from, to) = bounds.Split("..", 2) is [var f, var t] ? (Number(name, f), Number(name, t)) : throw new FormatException($"--sweep: {name}={text} is not from..to:step.");
        if (step <= 0 || to < from)
        {
            throw new FormatException($"--sweep: {name}={text} needs from ≤ to and a step above 0.");
        }

        // Counted, not accumulated, so 0.1 steps do not drift; a hair of tolerance keeps the end when the step divides the span.
        var count = (int)Math.Floor((to - from) / step + 1e-9) + 1;
        return count > MaxCombinations ? throw new FormatException($"--sweep: {name}={text} has {count} values; at most {MaxCombinations}.")
            : [.. Enumerable.Range(0, count).Select(i => Math.Round(from + i * step, 10))];
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"--sweep: {name}: '{text}' is not a number.");
}
