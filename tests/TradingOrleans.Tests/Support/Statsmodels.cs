using System.Text.Json;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// Debian's python3-statsmodels (installed by test.sh): its bundled published datasets and, as an independent
/// implementation, its own tests run on our data. Nothing of it is copied into the repository.
/// </summary>
public static class Statsmodels
{
    private const string Module = "statsmodels";
    private const string DebianPackage = "python3-statsmodels";

    /// <summary>A file shipped inside the statsmodels package, e.g. a dataset its own tests use.</summary>
    public static string PackageFile(string relativePath) => DebianPython.PackageFile(Module, DebianPackage, relativePath);

    /// <summary>Reads a whitespace-separated numeric table (one row per line).</summary>
    public static double[][] ReadTable(string path) =>
        [.. File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];

    /// <summary>One column of a CSV file with a header row.</summary>
    public static double[] ReadCsvColumn(string path, string column)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.IndexOf(lines[0].Split(',').Select(name => name.Trim('"')).ToArray(), column);
        return [.. lines.Skip(1).Select(line => double.Parse(line.Split(',')[index], System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Runs a Python script with statsmodels importable; <paramref name="input"/> is passed as JSON on standard
    /// input (read it with <c>json.load(sys.stdin)</c>) and the script must print one JSON document.
    /// </summary>
    public static JsonElement Run(string script, object input) => DebianPython.Run(Module, DebianPackage, script, input);
}
