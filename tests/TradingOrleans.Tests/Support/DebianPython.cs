using System.Diagnostics;
using System.Text.Json;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// Debian's Python (/usr/bin/python3) with a Debian-packaged library as an independent implementation: a test passes
/// our data as JSON on standard input and reads the library's answer back. A missing package fails the test with
/// the package to install (test.sh installs them).
/// </summary>
public static class DebianPython
{
    private const string Python = "/usr/bin/python3";
    private const string PackagesDirectory = "/usr/lib/python3/dist-packages";

    /// <summary>A file shipped inside a Python package, e.g. a dataset its own tests use.</summary>
    public static string PackageFile(string module, string debianPackage, string relativePath)
    {
        var path = Path.Combine(PackagesDirectory, module, relativePath);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: install Debian's {debianPackage} (test.sh does).", path);
    }

    /// <summary>
    /// Runs a script that imports <paramref name="module"/>; <paramref name="input"/> is passed as JSON on standard
    /// input (read it with <c>json.load(sys.stdin)</c>) and the script must print one JSON document.
    /// </summary>
    public static JsonElement Run(string module, string debianPackage, string script, object input)
    {
        PackageFile(module, debianPackage, "__init__.py");
        var start = new ProcessStartInfo(Python, ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PYTHONWARNINGS"] = "ignore";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"{module} script did not finish in 2 minutes.");
        }

        return process.ExitCode == 0
            ? JsonDocument.Parse(output.Result).RootElement.Clone()
            : throw new InvalidOperationException($"{module} script failed ({process.ExitCode}): {error.Result}");
    }
}
