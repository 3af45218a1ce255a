using System.Text.RegularExpressions;
using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Grains.Strategies;

/// <summary>The strategy types this build knows: their parameters, config validation, and construction.</summary>
public static partial class StrategyCatalog
{
    public const string SmaCrossover = "sma-crossover";
    public const string RsiMeanReversion = "rsi-mean-reversion";
    public const string PairsOls = "pairs-ols";
    public const string PairsJohansen = "pairs-johansen";

    /// <summary>Most symbols one config may list.</summary>
    public const int MaxSymbols = 100;

    /// <summary>Whether a text is an exchange symbol (upper-case letters and digits, 5–20 long).</summary>
    public static bool IsSymbol(string? text) => text is not null && SymbolPattern().IsMatch(text);

    public static IReadOnlyDictionary<string, StrategyDefinition> Definitions { get; } = new Dictionary<string, StrategyDefinition>(StringComparer.Ordinal)
    {
        [SmaCrossover] = new(SmaCrossover, "Long while the fast SMA of closes is above the slow SMA, short while below.", false,
        [
            new("fast", 10, 1, 1000, true, "Bars in the fast average"),
            new("slow", 30, 2, 5000, true, "Bars in the slow average; must exceed fast"),
        ]),
        [RsiMeanReversion] = new(RsiMeanReversion, "Wilder RSI: long below oversold, short above overbought, flat when RSI crosses exit.", false,
        [
            new("period", 14, 2, 500, true, "Bars of price change in the RSI"),
            new("oversold", 30, 0, 100, false, "RSI below which to go long"),
            new("overbought", 70, 0, 100, false, "RSI above which to go short"),
            new("exit", 50, 0, 100, false, "RSI level that closes a position; between oversold and overbought"),
        ]),
        [PairsOls] = new(PairsOls, "Rolling OLS of ln A on ln B; trades the spread's z-score back to its mean (symbols: [A, B]).", true,
        [
            new("window", 100, 20, 5000, true, "Aligned bars in the regression window"),
            new("entryZ", 2.0, 0.1, 10, false, "|z| above which a spread position opens"),
            new("exitZ", 0.5, 0, 10, false, "|z| below which it closes; must be below entryZ"),
        ]),
        [PairsJohansen] = new(PairsJohansen,
            "Johansen test on a rolling window of ln A, ln B; while cointegrated, trades the spread ln A − β ln B (β from the first cointegrating vector) on its z-score (symbols: [A, B]).", true,
        [
            new("window", 500, 50, 5000, true, "Aligned bars in the tested window"),
            new("retestEvery", 50, 1, 5000, true, "Bars between two cointegration tests"),
            new("lagDifferences", 1, 1, 12, true, "Lagged differences k in the VECM (k_ar_diff)"),
            new("detOrder", 0, -1, 1, true, "Deterministic terms: -1 none, 0 constant, 1 linear trend"),
            new("confidence", 0.95, 0.90, 0.99, false, "Trace-test confidence required to trade: 0.90, 0.95 or 0.99"),
            new("entryZ", 2.0, 0.1, 10, false, "|z| above which a spread position opens"),
            new("exitZ", 0.5, 0, 10, false, "|z| below which it closes; must be below entryZ"),
            new("stopZ", 4.0, 0.2, 20, false, "|z| beyond which the position is stopped out; must exceed entryZ"),
        ]),
    };

    /// <summary>Every problem with a config, keyed by JSON field path (<c>id</c>, <c>symbols[1]</c>, <c>parameters.fast</c>); empty when valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(StrategyConfig config)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (string.IsNullOrEmpty(config.Id) || !IdPattern().IsMatch(config.Id))
        {
            Add("id", "Required: 1–64 letters, digits, '-' or '_'.");
        }

        if (!double.IsFinite(config.Weight) || config.Weight <= 0 || config.Weight > 100)
        {
            Add("weight", "Must be a number above 0 and at most 100.");
        }

        var symbols = config.Symbols ?? [];
        if (symbols.Count > MaxSymbols)
        {
            Add("symbols", $"At most {MaxSymbols} symbols per config; got {symbols.Count}.");
            return Freeze(errors);
        }

        if (config.Type is { Length: > 64 })
        {
            Add("type", "At most 64 characters.");
            return Freeze(errors);
        }

        for (var i = 0; i < symbols.Count; i++)
        {
            if (!IsSymbol(symbols[i]))
            {
                Add($"symbols[{i}]", $"'{symbols[i]}' is not an exchange symbol: 5–20 upper-case letters or digits, e.g. BTCUSDT.");
            }
        }

        if (!Definitions.TryGetValue(config.Type ?? "", out var definition))
        {
            Add("type", $"Unknown type '{config.Type}'. Known types: {string.Join(", ", Definitions.Keys.Order(StringComparer.Ordinal))}.");
            if (symbols.Count == 0)
            {
                Add("symbols", "At least one symbol is required.");
            }

            return Freeze(errors);
        }

        if (definition.IsPair && (symbols.Count != 2 || symbols[0] == symbols[1]))
        {
            Add("symbols", "A pair strategy takes exactly two different symbols: [legA, legB].");
        }
        else if (!definition.IsPair && symbols.Count == 0)
        {
            Add("symbols", "At least one symbol is required.");
        }
        else if (symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
        {
            Add("symbols", "A symbol is listed twice.");
        }

        var parameters = config.Parameters ?? new Dictionary<string, double>();
        if (parameters.Count > definition.Parameters.Count + 8)
        {
            Add("parameters", $"{definition.Type} takes {definition.Parameters.Count} parameters; got {parameters.Count}.");
            return Freeze(errors);
        }

        foreach (var (name, value) in parameters)
        {
            var spec = definition.Parameters.FirstOrDefault(p => p.Name == name);
            if (spec is null)
            {
                Add($"parameters.{(name.Length > 64 ? name[..64] + "…" : name)}", $"Unknown parameter for {definition.Type}. Known: {string.Join(", ", definition.Parameters.Select(p => p.Name))}.");
            }
            else if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
            {
                Add($"parameters.{name}", $"Must be between {spec.Min} and {spec.Max}; got {value}.");
            }
            else if (spec.IsInteger && value != Math.Floor(value))
            {
                Add($"parameters.{name}", $"Must be a whole number; got {value}.");
            }
        }

        if (errors.Keys.Any(k => k.StartsWith("parameters.", StringComparison.Ordinal)))
        {
            return Freeze(errors);
        }

        double P(string name) => Parameter(config, name);
        switch (definition.Type)
        {
            case SmaCrossover when P("fast") >= P("slow"):
                Add("parameters.fast", $"Must be below slow ({P("slow")}); got {P("fast")}.");
                break;
            case RsiMeanReversion when !(P("oversold") < P("exit") && P("exit") < P("overbought")):
                Add("parameters.exit", $"Need oversold < exit < overbought; got {P("oversold")} < {P("exit")} < {P("overbought")}.");
                break;
            case PairsOls or PairsJohansen when P("exitZ") >= P("entryZ"):
                Add("parameters.exitZ", $"Must be below entryZ ({P("entryZ")}); got {P("exitZ")}.");
                break;
            case PairsJohansen when P("stopZ") <= P("entryZ"):
                Add("parameters.stopZ", $"Must exceed entryZ ({P("entryZ")}); got {P("stopZ")}.");
                break;
            case PairsJohansen when !CointegrationAnalysis.Confidences.Contains(P("confidence")):
                Add("parameters.confidence", $"Critical values exist for 0.90, 0.95 and 0.99; got {P("confidence")}.");
                break;
            case PairsJohansen when P("window") < 20 * (P("lagDifferences") + 1):
                Add("parameters.window", $"Must be at least 20 × (lagDifferences + 1) = {20 * (P("lagDifferences") + 1)} bars; got {P("window")}.");
                break;
        }

        return Freeze(errors);
    }

    /// <summary>The configured value of a parameter, or its type's default.</summary>
    public static double Parameter(StrategyConfig config, string name) =>
        config.Parameters.TryGetValue(name, out var value)
            ? value
            : Definitions[config.Type].Parameters.First(p => p.Name == name).Default;

    /// <summary>Builds a single-symbol strategy for one of the config's symbols.</summary>
    public static IStrategy CreateSingleSymbol(StrategyConfig config, string symbol)
    {
        int Whole(string name) => (int)Parameter(config, name);
        return config.Type switch
        {
            SmaCrossover => new SmaCrossoverStrategy(config.Id, symbol, Whole("fast"), Whole("slow")),
            RsiMeanReversion => new RsiMeanReversionStrategy(config.Id, symbol, Whole("period"),
                Parameter(config, "oversold"), Parameter(config, "overbought"), Parameter(config, "exit")),
            _ => throw new ArgumentException($"'{config.Type}' is not a single-symbol strategy type.", nameof(config)),
        };
    }

    /// <summary>Builds the spread model of a pair strategy.</summary>
    public static IPairModel CreatePairModel(StrategyConfig config)
    {
        double P(string name) => Parameter(config, name);
        return config.Type switch
        {
            PairsOls => new PairSpreadModel((int)P("window"), P("entryZ"), P("exitZ")),
            PairsJohansen => new JohansenPairModel(
                (int)P("window"), (int)P("retestEvery"), (int)P("lagDifferences"), (DeterministicTerm)(int)P("detOrder"),
                P("confidence"), P("entryZ"), P("exitZ"), P("stopZ")),
            _ => throw new ArgumentException($"'{config.Type}' is not a pair strategy type.", nameof(config)),
        };
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z0-9]{5,20}$")]
    private static partial Regex SymbolPattern();
}
