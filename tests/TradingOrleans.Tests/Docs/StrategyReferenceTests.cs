using System.Globalization;
using System.Text.RegularExpressions;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Docs;

/// <summary>
/// docs/strategies.md's strategy reference against the catalog <c>GET /api/v1/strategies/types</c> answers from
/// (<see cref="StrategyCatalog.Definitions"/>): a row per type, under the heading of its kind, with every parameter
/// and its default, and no row for a type the code lacks.
/// </summary>
public sealed partial class StrategyReferenceTests
{
    private const string Page = "docs/strategies.md";
    private const string Section = "## Strategy reference";
    private const string SingleHeading = "### Single-symbol strategies";
    private const string PairHeading = "### Pair strategies";
    private const string ModelHeading = "### Served by trained models";

    private sealed record Row(int Line, string Heading, string Type, IReadOnlyList<(string Name, string Default)> Parameters);

    [Fact]
    public void The_strategy_reference_in_the_docs_lists_every_type_parameter_and_default_of_the_catalog()
    {
        var rows = ReadRows();
        Assert.True(rows.Count >= 10, $"{Page}: only {rows.Count} rows found under '{Section}': is the table still there, with rows like | `sma-crossover` | `fast` (10), `slow` (30) | … |?");

        var problems = new List<string>();
        foreach (var repeated in rows.GroupBy(r => r.Type).Where(g => g.Count() > 1))
        {
            problems.Add($"`{repeated.Key}` has {repeated.Count()} rows (lines {string.Join(", ", repeated.Select(r => r.Line))}): keep one");
        }

        var byType = rows.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var definition in StrategyCatalog.Definitions.Values.OrderBy(d => d.Type, StringComparer.Ordinal))
        {
            var heading = HeadingOf(definition);
            if (!byType.TryGetValue(definition.Type, out var row))
            {
                problems.Add($"`{definition.Type}` is missing: add this row under '{heading}':\n    | `{definition.Type}` | {CellFor(definition.Parameters)} | {definition.Description} |");
                continue;
            }

            var where = $"line {row.Line}, `{row.Type}`";
            if (row.Heading != heading)
            {
                problems.Add($"{where}: move the row from under '{row.Heading}' to under '{heading}'");
            }

            var documented = row.Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
            foreach (var parameter in definition.Parameters)
            {
                if (!documented.TryGetValue(parameter.Name, out var text))
                {
                    problems.Add($"{where}: parameter `{parameter.Name}` is missing: add `{parameter.Name}` ({Format(parameter.Default)}) to its parameters cell");
                }
                else if (!TryParse(text, out var value) || value != parameter.Default)
                {
                    problems.Add($"{where}: `{parameter.Name}` says default ({text}), the code's is {Format(parameter.Default)}: write `{parameter.Name}` ({Format(parameter.Default)})");
                }
            }

            foreach (var extra in row.Parameters.Select(p => p.Name).Except(definition.Parameters.Select(p => p.Name), StringComparer.Ordinal))
            {
                problems.Add($"{where}: parameter `{extra}` does not exist in the code (its parameters: {string.Join(", ", definition.Parameters.Select(p => p.Name))}): remove it");
            }
        }

        foreach (var row in byType.Values.Where(r => !StrategyCatalog.Definitions.ContainsKey(r.Type)))
        {
            problems.Add($"line {row.Line}: `{row.Type}` is not a strategy type of the code (StrategyLibrary in Grains/Strategies): remove the row, or fix its name");
        }

        Assert.True(problems.Count == 0,
            $"{Page} does not match the strategy catalog (what GET /api/v1/strategies/types answers). Fix the page:\n- "
            + string.Join("\n- ", problems));
    }

    private static string HeadingOf(StrategyDefinition definition) =>
        definition.IsPair ? PairHeading : definition.Model is not null ? ModelHeading : SingleHeading;

    private static string CellFor(IEnumerable<StrategyParameter> parameters) =>
        string.Join(", ", parameters.Select(p => $"`{p.Name}` ({Format(p.Default)})"));

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The table rows between <see cref="Section"/> and the next second-level heading, with the third-level heading above each.</summary>
    private static List<Row> ReadRows()
    {
        var path = Path.Combine(RepoDocs.Root, Page);
        Assert.True(File.Exists(path), $"{Page} is missing: it holds the strategy reference");

        var rows = new List<Row>();
        var inSection = false;
        var heading = "";
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.Trim() == Section;
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                heading = line.Trim();
            }
            else if (TableRow().Match(line) is { Success: true } row)
            {
                var parameters = ParameterCell().Matches(row.Groups["parameters"].Value)
                    .Select(m => (m.Groups["name"].Value, m.Groups["default"].Value.Trim()))
                    .ToList();
                rows.Add(new Row(number, heading, row.Groups["type"].Value, parameters));
            }
        }

        Assert.True(rows.Count > 0 || inSection || File.ReadLines(path).Any(l => l.Trim() == Section), $"{Page} has no '{Section}' heading");
        return rows;
    }

    [GeneratedRegex(@"^\|\s*`(?<type>[a-z0-9-]+)`\s*\|(?<parameters>[^|]*)\|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`(?<name>[A-Za-z][A-Za-z0-9]*)`\s*\((?<default>[^)]*)\)")]
    private static partial Regex ParameterCell();
}
