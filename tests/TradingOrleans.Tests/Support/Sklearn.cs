using System.Text.Json;

namespace TradingOrleans.Tests.Support;

/// <summary>Debian's python3-sklearn (installed by test.sh) as the independent implementation of the calibration maths.</summary>
public static class Sklearn
{
    /// <summary>
    /// Runs a Python script with scikit-learn importable; <paramref name="input"/> is passed as JSON on standard
    /// input (read it with <c>json.load(sys.stdin)</c>) and the script must print one JSON document.
    /// </summary>
    public static JsonElement Run(string script, object input) => DebianPython.Run("sklearn", "python3-sklearn", script, input);
}
