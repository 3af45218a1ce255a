using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Signals;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>How a backtest's paper venue fills (<see cref="PaperFillModel.NextBarOpen"/>), stated in its report.</summary>
/// <param name="FeeBps">Commission per fill, in basis points of its notional.</param>
/// <param name="SlippageBps">How much worse than the bar's open a fill is, in basis points.</param>
/// <param name="ParticipationCap">The largest share of one bar's volume a symbol's orders fill in that bar.</param>
/// <param name="LatencyBars">Bars an order waits before it can fill (0 = the next bar's open).</param>
public sealed record BacktestFills(decimal FeeBps = 10m, decimal SlippageBps = 2m, double ParticipationCap = 0.1, int LatencyBars = 0)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"market orders fill at the open of the {(LatencyBars == 0 ? "next bar" : $"bar {LatencyBars + 1} after the order")} " +
        $"± {SlippageBps} bps slippage, {FeeBps} bps fee per fill, at most {ParticipationCap:0.##%} of a bar's volume (the rest on later bars)");
}

/// <summary>
/// What to backtest: strategy configs (any type the library offers, pairs and model-served ones included) over a period
/// of historical bars, with the account, the fill model, and any settings of the order path (risk, signals, execution,
/// portfolio) that should differ from this installation's.
/// </summary>
/// <param name="Symbols">The symbols to replay; empty means every symbol the strategies name.</param>
/// <param name="From">The first bar opening at or after this instant (UTC) is replayed.</param>
/// <param name="To">Bars opening before this instant are replayed.</param>
/// <param name="Settings">Configuration overrides under <see cref="AllowedSettingPrefixes"/>, e.g. <c>Trading:Risk:MaxPositionFraction</c>.</param>
public sealed record BacktestSpec(
    IReadOnlyList<StrategyConfig> Strategies,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Symbols,
    decimal InitialCash = 100_000m,
    BacktestFills? Fills = null,
    IReadOnlyDictionary<string, string>? Settings = null)
{
    /// <summary>The sections a backtest may set: the order path's decisions, never where its state, data or venues live.</summary>
    public static readonly IReadOnlyList<string> AllowedSettingPrefixes =
        ["Trading:Risk:", "Trading:Signals:", "Trading:Execution:", "Trading:Portfolio:", "Trading:Strategies:Isolation:", "Trading:Instruments:"];

    /// <summary>The options classes each allowed section binds to (Trading:Risk to two), checked as the silo checks them at start.</summary>
    private static readonly (string Section, Type[] Options)[] SettingSections =
    [
        (RiskOptions.SectionName, [typeof(RiskOptions), typeof(RiskLimits)]), (SignalOptions.SectionName, [typeof(SignalOptions)]),
        (ExecutionOptions.SectionName, [typeof(ExecutionOptions)]), (PortfolioOptions.SectionName, [typeof(PortfolioOptions)]),
        (StrategyIsolationOptions.SectionName, [typeof(StrategyIsolationOptions)]), (InstrumentOptions.SectionName, [typeof(InstrumentOptions)]),
    ];

    public BacktestFills EffectiveFills => Fills ?? new BacktestFills();

    /// <summary>The symbols replayed: <see cref="Symbols"/>, or every symbol the strategies name, in ordinal order.</summary>
    public IReadOnlyList<string> EffectiveSymbols =>
        [.. (Symbols.Count > 0 ? Symbols : Strategies.SelectMany(s => s.Symbols ?? [])).Select(s => (s ?? "").ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// Every problem with the spec, keyed by its JSON field path (<c>strategies[0].parameters.fast</c>, <c>from</c>,
    /// <c>symbols[1]</c>, <c>settings.Trading:Storage:InMemory</c>); empty when it can run on <paramref name="data"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Validate(HistoricalData data, string quoteAsset, ModelStore models)
    {
        var errors = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (Strategies.Count == 0)
        {
            Add("strategies", "At least one strategy config is needed.");
        }

        for (var i = 0; i < Strategies.Count; i++)
        {
            foreach (var (field, messages) in StrategyCatalog.Validate(Strategies[i], quoteAsset, models))
            {
                messages.ToList().ForEach(m => Add($"strategies[{i}].{field}", m));
            }
        }

        foreach (var duplicate in Strategies.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Add("strategies", $"Strategy id '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        if (From >= To)
        {
            Add("from", $"The period is empty or inverted: from {From:u} is not before to {To:u}.");
        }

        ValidateSymbols(data, Add);
        if (InitialCash <= 0)
        {
            Add("initialCash", $"Must be positive; got {InitialCash.ToString(CultureInfo.InvariantCulture)}.");
        }

        ValidateFills(EffectiveFills, Add);
        foreach (var key in (Settings ?? new Dictionary<string, string>()).Keys.Where(k => !AllowedSettingPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))))
        {
            Add($"settings.{key}", $"A backtest may only set {string.Join(", ", AllowedSettingPrefixes.Select(p => p + "*"))}.");
        }

        ValidateSettings(Add);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The settings, each section bound to its options class and checked by its own rules, as the backtest's silo would
    /// at start: a value that does not convert, an unknown setting or a rule broken is named here instead of failing the
    /// job. Checked on the defaults, not on this installation's values (which the silo starts from).
    /// </summary>
    private void ValidateSettings(Action<string, string> add)
    {
        var settings = Settings ?? new Dictionary<string, string>();
        foreach (var (section, types) in SettingSections)
        {
            var keys = settings.Keys.Where(k => k.StartsWith(section + ":", StringComparison.Ordinal)).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            // A key stands if one of the section's classes takes it; else the reason of the class that has such a
            // setting but could not convert the value, or that none has it.
            var unconvertible = false;
            foreach (var key in keys)
            {
                var problems = new List<string>();
                foreach (var type in types)
                {
                    if (Bind(type, section, [key], unknownIsError: true, out var problem) is null)
                    {
                        problems.Add(problem!);
                    }
                }

                if (problems.Count == types.Length)
                {
                    add($"settings.{key}", problems.FirstOrDefault(p => !p.Contains("matching property", StringComparison.Ordinal)) ?? problems[0]);
                    unconvertible = true;
                }
            }

            if (unconvertible)
            {
                continue;
            }

            foreach (var type in types)
            {
                AddBrokenRules(Bind(type, section, keys, unknownIsError: false, out _)!, member => $"settings.{section}:{member}".TrimEnd(':'), add);
            }
        }
    }

    /// <summary>The options <paramref name="keys"/> of the settings make, on the defaults; null with the binder's reason when a value does not convert (or, with <paramref name="unknownIsError"/>, names no setting of <paramref name="type"/>).</summary>
    private object? Bind(Type type, string section, IEnumerable<string> keys, bool unknownIsError, out string? problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys.Select(k => KeyValuePair.Create(k, (string?)Settings![k]))).Build();
        try
        {
            problem = null;
            return configuration.GetSection(section).Get(type, binder => binder.ErrorOnUnknownConfiguration = unknownIsError) ?? Activator.CreateInstance(type);
        }
        catch (InvalidOperationException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private void ValidateSymbols(HistoricalData data, Action<string, string> add)
    {
        // Each symbol is checked where the spec names it: in symbols, or else in the strategies that trade it.
        var named = Symbols.Count > 0
            ? Symbols.Select((symbol, i) => (Field: $"symbols[{i}]", Symbol: (symbol ?? "").ToUpperInvariant()))
            : Strategies.SelectMany((strategy, i) => (strategy.Symbols ?? []).Select((symbol, j) => (Field: $"strategies[{i}].symbols[{j}]", Symbol: (symbol ?? "").ToUpperInvariant())));
        foreach (var (field, symbol) in named)
        {
            if (!ExchangeSymbol.IsValid(symbol))
            {
                // Named as a field of its own (the strategy's rules name it there too); never looked up as a file.
                if (Symbols.Count > 0)
                {
                    add(field, ExchangeSymbol.Refusal(symbol));
                }
            }
            else if (data.Range(symbol) is not { } range)
            {
                // The symbols there, not the folder: a REST client has no business with the server's paths.
                add(field, $"No historical data for {symbol}; there is data for {string.Join(", ", data.Symbols())}.");
            }
            else if (From < To && (From > range.Last || To <= range.First))
            {
                add("from", $"{From:u} to {To:u} is outside {symbol}'s data, {range.First:u} to {range.Last:u}.");
            }
        }

        if (Symbols.Count > 0)
        {
            var symbols = EffectiveSymbols;
            foreach (var (strategy, i) in Strategies.Select((s, i) => (s, i)))
            {
                foreach (var (symbol, j) in (strategy.Symbols ?? []).Select((s, j) => (s, j)).Where(s => !symbols.Contains((s.s ?? "").ToUpperInvariant())))
                {
                    add($"strategies[{i}].symbols[{j}]", $"{symbol} is traded by the strategy but is not among the backtest's symbols.");
                }
            }
        }
    }

    /// <summary>
    /// The fill settings, checked by the paper venue's own options (the ranges are declared once there): the backtest's
    /// silo starts with them, and would refuse what they refuse.
    /// </summary>
    private static void ValidateFills(BacktestFills fills, Action<string, string> add)
    {
        object[] settings =
        [
            new PaperVenueOptions { FeeBps = fills.FeeBps, SlippageBps = fills.SlippageBps },
            new PaperFillOptions { Model = PaperFillModel.NextBarOpen, ParticipationCap = fills.ParticipationCap, LatencyBars = fills.LatencyBars },
        ];
        foreach (var options in settings)
        {
            AddBrokenRules(options, member => member.Length == 0 ? null : $"fills.{JsonNamingPolicy.CamelCase.ConvertName(member)}", add);
        }
    }

    /// <summary>Each rule <paramref name="options"/> break, under the field its member maps to ("" for a rule on the whole object; a null field is not reported).</summary>
    private static void AddBrokenRules(object options, Func<string, string?> field, Action<string, string> add)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                if (field(member) is { } key)
                {
                    add(key, result.ErrorMessage ?? "Not valid.");
                }
            }
        }
    }
}

/// <summary>What a backtest takes from the installation it runs in: the kline files, the account's quote asset and the trained models.</summary>
public sealed record BacktestInstallation(HistoricalData Data, string QuoteAsset, ModelStore Models)
{
    /// <param name="dataDirectory">The kline folder, when not the replay's (<c>Trading:Replay:DataDirectory</c>).</param>
    public static BacktestInstallation From(IConfiguration installation, string? dataDirectory) => new(
        new HistoricalData(dataDirectory ?? installation[$"{ReplayOptions.SectionName}:DataDirectory"] ?? new ReplayOptions().DataDirectory),
        installation[$"{PortfolioOptions.SectionName}:QuoteAsset"] ?? new PortfolioOptions().QuoteAsset,
        new ModelStore(ModelStore.Resolve(installation[$"{ModelOptions.SectionName}:Directory"] ?? new ModelOptions().Directory)));

    /// <summary>Every problem with <paramref name="spec"/> here (<see cref="BacktestSpec.Validate"/>).</summary>
    public IReadOnlyDictionary<string, string[]> Validate(BacktestSpec spec) => spec.Validate(Data, QuoteAsset, Models);
}

/// <summary>A folder of kline files, with each symbol's first and last bar and bar length read once.</summary>
public sealed class HistoricalData(string directory)
{
    // Read once per version of a file: a file that `data download` extends or adds is seen by the next request.
    private readonly Dictionary<string, (string? File, DateTime Written, DataRange? Range)> _ranges = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The folder, resolved like the replay's (searched upwards from the working and app folders).</summary>
    public string Directory { get; } = PathResolver.FindExisting(directory) ?? directory;

    /// <summary>The symbols with a kline file, in ordinal order.</summary>
    public IReadOnlyList<string> Symbols() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.csv*").Where(CandleCsvReader.IsKlineFile).Select(CandleCsvReader.SymbolOf).Distinct().Order(StringComparer.Ordinal)]
            : [];

    public string? File(string symbol) =>
        System.IO.Directory.Exists(Directory) ? CandleCsvReader.FindFile(Directory, symbol) : null;

    /// <summary>The symbol's bars opening from <paramref name="from"/> to before <paramref name="to"/>, at its file's bar length (call for a symbol with data).</summary>
    public IReadOnlyList<Candle> Bars(string symbol, DateTimeOffset from, DateTimeOffset to) =>
        [.. CandleCsvReader.Read(File(symbol)!, Range(symbol)!.Interval, (_, _) => { }).Where(c => c.OpenTime >= from && c.OpenTime < to)];

    /// <summary>The symbol's data: first and last bar open, and the bar length; null when there is no file.</summary>
    public DataRange? Range(string symbol)
    {
        var file = File(symbol);
        var written = file is null ? default : System.IO.File.GetLastWriteTimeUtc(file);
        lock (_gate)
        {
            if (_ranges.TryGetValue(symbol, out var known) && known.File == file && known.Written == written)
            {
                return known.Range;
            }

            var range = file is null ? null : DataRange.Of(file);
            _ranges[symbol] = (file, written, range);
            return range;
        }
    }
}
