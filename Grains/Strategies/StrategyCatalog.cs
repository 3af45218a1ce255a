using System.Text.RegularExpressions;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Grains.Strategies;

/// <summary>The strategy types this build knows: their parameters, config validation, and construction.</summary>
public static partial class StrategyCatalog
{
    public const string SmaCrossover = "sma-crossover";
    public const string RsiMeanReversion = "rsi-mean-reversion";

    /// <summary>Most symbols one config may list.</summary>
    public const int MaxSymbols = 100;

    /// <summary>The registered types by name (see <see cref="StrategyLibrary"/>).</summary>
    public static IReadOnlyDictionary<string, StrategyType> Types { get; } =
        StrategyLibrary.Types.ToDictionary(t => t.Definition.Type, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, StrategyDefinition> Definitions { get; } =
        Types.ToDictionary(t => t.Key, t => t.Value.Definition, StringComparer.Ordinal);

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
            if (!ExchangeSymbol.IsValid(symbols[i]))
            {
                Add($"symbols[{i}]", ExchangeSymbol.Refusal(symbols[i]));
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

        var values = new StrategyParameters(config, definition);
        foreach (var rule in Types[definition.Type].Rules.Where(rule => !rule.Holds(values)))
        {
            Add($"parameters.{rule.Field}", rule.Problem(values));
        }

        return Freeze(errors);
    }

    /// <summary>
    /// Every problem with a config on this account: <see cref="Validate(StrategyConfig)"/>, each symbol quoted in
    /// <paramref name="quoteAsset"/>, and for a model-served type a trained model for each symbol.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(StrategyConfig config, string quoteAsset, ModelStore models)
    {
        var errors = Validate(config).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var symbols = config.Symbols ?? [];
        for (var i = 0; i < symbols.Count; i++)
        {
            var symbol = symbols[i];
            // Cash and PnL are kept in one quote asset, so every traded symbol must be quoted in it.
            if (!symbol.EndsWith(quoteAsset, StringComparison.Ordinal) || symbol.Length <= quoteAsset.Length)
            {
                var key = $"symbols[{i}]";
                var message = $"'{symbol}' is not quoted in the account's quote asset {quoteAsset}.";
                errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
            }
        }

        // A model-served type needs a trained model for each symbol before it can trade.
        if (errors.Count == 0 && Definitions[config.Type].Model is { } kind)
        {
            var version = (int)Parameter(config, "version");
            for (var i = 0; i < symbols.Count; i++)
            {
                if (models.Load(kind, symbols[i], version) is null)
                {
                    errors[$"symbols[{i}]"] = [$"No trained {kind} model{(version > 0 ? $" version {version}" : "")} for {symbols[i]}: run `dotnet run -c Release --project Silo -- train {kind} --symbol {symbols[i]}`."];
                }
            }
        }

        return errors;
    }

    /// <summary>The configured value of a parameter, or its type's default.</summary>
    public static double Parameter(StrategyConfig config, string name) => new StrategyParameters(config, Definitions[config.Type])[name];

    /// <summary>Builds a single-symbol strategy for one of the config's symbols; model-served types load from <paramref name="models"/>.</summary>
    public static IStrategy CreateSingleSymbol(StrategyConfig config, string symbol, ModelStore? models = null) =>
        !Types.TryGetValue(config.Type, out var type) ? throw new ArgumentException($"Unknown strategy type '{config.Type}'.", nameof(config))
        : type.CreateSingle is { } create ? create(config.Id, symbol, new StrategyParameters(config, type.Definition))
        : type.CreateFromModel is { } fromModel ? fromModel(config.Id, symbol, new StrategyParameters(config, type.Definition),
            models ?? throw new ArgumentNullException(nameof(models), $"'{config.Type}' needs the model store."))
        : throw new ArgumentException($"'{config.Type}' is not a single-symbol strategy type.", nameof(config));

    /// <summary>Builds the spread model of a pair strategy.</summary>
    public static IPairModel CreatePairModel(StrategyConfig config) =>
        Types.TryGetValue(config.Type, out var type) && type.CreatePair is { } create
            ? create(new StrategyParameters(config, type.Definition))
            : throw new ArgumentException($"'{config.Type}' is not a pair strategy type.", nameof(config));

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
