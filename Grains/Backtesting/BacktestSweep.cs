using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Signals;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>What a sweep ranks by: the Sharpe ratio (default) or the total return.</summary>
public enum SweepRanking
{
    Sharpe,
    Return,
}

/// <summary>A sweep over one strategy's parameters.</summary>
/// <param name="Confirm">How many of the best screened combinations are run again through the full pipeline.</param>
/// <param name="WalkForwardFolds">0 for none; k splits the period into k + 1 equal windows, each optimised on and tested on the next.</param>
public sealed record SweepSettings(ParameterGrid Grid, int Confirm = 3, int WalkForwardFolds = 0, SweepRanking RankBy = SweepRanking.Sharpe);

/// <summary>A sweep as a client asks for it (the REST body's <c>sweep</c>): the grid as the CLI's <c>--sweep</c> writes it, and its options.</summary>
/// <param name="Parameters">The grid, e.g. <c>fast=5..50:5 slow=60..240:20</c>.</param>
public sealed record BacktestSweepRequest(string? Parameters, int? Confirm = null, int? WalkForward = null, SweepRanking? RankBy = null)
{
    /// <summary>The settings for <paramref name="spec"/>, or every problem keyed by its JSON path (<c>sweep.parameters</c>, <c>sweep</c>).</summary>
    public (SweepSettings? Settings, IReadOnlyDictionary<string, string[]> Errors) ToSettings(BacktestSpec spec)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ParameterGrid? grid = null;
        try
        {
            grid = Parameters is null ? throw new FormatException("Required: the parameters to vary, e.g. \"fast=5..50:5 slow=60..240:20\".") : ParameterGrid.Parse(Parameters);
        }
        catch (FormatException e)
        {
            errors["sweep.parameters"] = [e.Message.Replace("--sweep: ", "", StringComparison.Ordinal)];
        }

        if (Confirm is < 0 or > 20)
        {
            errors["sweep.confirm"] = ["Must be between 0 and 20."];
        }

        if (WalkForward is < 0 or > 20)
        {
            errors["sweep.walkForward"] = ["Must be between 0 and 20."];
        }

        if (grid is null || errors.Count > 0)
        {
            return (null, errors);
        }

        var settings = new SweepSettings(grid, Confirm ?? 3, WalkForward ?? 0, RankBy ?? SweepRanking.Sharpe);
        return BacktestSweep.Refusal(spec, settings) is { } refusal ? (null, new Dictionary<string, string[]> { ["sweep"] = [refusal] }) : (settings, errors);
    }
}

/// <summary>One combination's place in the ranking: its screen, and the full pipeline's figures if it was confirmed.</summary>
public sealed record SweepCandidate(int Rank, string Parameters, StrategyConfig Config, PerformanceSummary Screen, PerformanceSummary? Confirmed);

/// <summary>
/// One walk-forward fold: the combination best on the in-sample window, its in-sample screen, and on the next window
/// its screen and its full-pipeline run; <paramref name="RankCorrelation"/> is Spearman's ρ between every combination's
/// in-sample and out-of-sample ranks (near 0 or below: the in-sample ranking does not carry over, the mark of overfitting).
/// </summary>
public sealed record WalkForwardFold(
    int Fold, DateTimeOffset InSampleFrom, DateTimeOffset OutOfSampleFrom, DateTimeOffset OutOfSampleTo, string Parameters,
    PerformanceSummary InSample, PerformanceSummary OutOfSampleScreen, PerformanceSummary OutOfSample, int OutOfSampleRank, double? RankCorrelation);

/// <summary>A finished sweep.</summary>
/// <param name="Refused">Combinations the strategy's own rules refuse (e.g. fast not below slow), with the first reason.</param>
public sealed record SweepResult(
    BacktestSpec Spec, SweepSettings Settings, int Combinations, IReadOnlyList<(string Parameters, string Reason)> Refused,
    IReadOnlyList<SweepCandidate> Ranking, IReadOnlyList<WalkForwardFold> Folds, TimeSpan ScreenTime, TimeSpan Elapsed);

/// <summary>How far a sweep is: the phase and its steps done.</summary>
public sealed record SweepProgress(string Phase, int Done, int Total);

/// <summary>
/// A parameter sweep: every combination of the grid screened on the fast path (<see cref="StrategyScreen"/>, in
/// parallel over the cores), ranked, the best confirmed through the full pipeline (<see cref="BacktestEngine"/>, a silo
/// each, one after another); with walk-forward folds, each window's best tested on the next window.
/// </summary>
public static class BacktestSweep
{
    /// <summary>Why <paramref name="spec"/> cannot be swept (one single-symbol strategy is needed); null when it can.</summary>
    public static string? Refusal(BacktestSpec spec, SweepSettings settings)
    {
        if (spec.Strategies.Count != 1)
        {
            return $"A sweep varies one strategy's parameters: the config has {spec.Strategies.Count} strategies.";
        }

        var strategy = spec.Strategies[0];
        if (!StrategyCatalog.Definitions.TryGetValue(strategy.Type, out var definition) || definition.IsPair)
        {
            return $"The fast path runs single-symbol strategies; '{strategy.Type}' is not one.";
        }

        var unknown = settings.Grid.Axes.Select(a => a.Name).Where(n => definition.Parameters.All(p => p.Name != n)).ToList();
        return unknown.Count > 0
            ? $"'{strategy.Type}' has no parameter {string.Join(", ", unknown)}; it has {string.Join(", ", definition.Parameters.Select(p => p.Name))}."
            : settings.Confirm < 0 || settings.WalkForwardFolds is < 0 or > 20 ? "--confirm must be 0 or more and --walk-forward between 0 and 20." : null;
    }

    public static async Task<SweepResult> RunAsync(
        BacktestSpec spec, SweepSettings settings, IConfiguration installation, BacktestInstallation here,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken, ILoggerFactory? logging = null)
    {
        var elapsed = Stopwatch.StartNew();
        var strategy = spec.Strategies[0];
        var refused = new List<(string, string)>();
        var configs = new List<(string Parameters, StrategyConfig Config)>();
        foreach (var (parameters, i) in settings.Grid.Combinations(strategy).Select((p, i) => (p, i)))
        {
            var config = strategy with { Id = $"{strategy.Id}-{i + 1}", Parameters = parameters };
            var problems = StrategyCatalog.Validate(config, here.QuoteAsset, here.Models);
            if (problems.Count > 0)
            {
                refused.Add((settings.Grid.Describe(parameters), problems.First().Value[0]));
            }
            else
            {
                configs.Add((settings.Grid.Describe(parameters), config));
            }
        }

        var terms = Terms(spec, installation);
        var bars = Load(here.Data, spec.EffectiveSymbols, spec.From, spec.To);
        var screenTime = Stopwatch.StartNew();
        var candidates = configs.Select(c => c.Config).ToList();
        var screens = Screen(candidates, ScreenBars.Of(bars), terms, here.Models, "screen", progress, cancellationToken);
        screenTime.Stop();

        var order = Rank(screens, settings.RankBy);
        var ranking = new List<SweepCandidate>();
        for (var place = 0; place < order.Count; place++)
        {
            var index = order[place];
            PerformanceSummary? confirmed = null;
            if (place < settings.Confirm)
            {
                progress?.Report(new SweepProgress("confirm", place, Math.Min(settings.Confirm, order.Count)));
                confirmed = await FullPipeline(spec with { Strategies = [configs[index].Config] }, installation, here, cancellationToken, logging);
            }

            ranking.Add(new SweepCandidate(place + 1, configs[index].Parameters, configs[index].Config, screens[index].Summary, confirmed));
        }

        var folds = new List<WalkForwardFold>();
        var windows = Windows(spec.From, spec.To, settings.WalkForwardFolds);
        for (var fold = 0; fold + 1 < windows.Count; fold++)
        {
            var (inFrom, outFrom) = (windows[fold], windows[fold + 1]);
            var outTo = fold + 2 < windows.Count ? windows[fold + 2] : spec.To;
            var inSample = Screen(candidates, ScreenBars.Of(Slice(bars, inFrom, outFrom)), terms, here.Models, $"walk-forward {fold + 1} in-sample", progress, cancellationToken);
            var outOfSample = Screen(candidates, ScreenBars.Of(Slice(bars, outFrom, outTo)), terms, here.Models, $"walk-forward {fold + 1} out-of-sample", progress, cancellationToken);
            var inOrder = Rank(inSample, settings.RankBy);
            var outOrder = Rank(outOfSample, settings.RankBy);
            var best = inOrder[0];
            var full = await FullPipeline(spec with { Strategies = [configs[best].Config], From = outFrom, To = outTo }, installation, here, cancellationToken, logging);
            folds.Add(new WalkForwardFold(fold + 1, inFrom, outFrom, outTo, configs[best].Parameters, inSample[best].Summary, outOfSample[best].Summary, full,
                outOrder.IndexOf(best) + 1, Spearman(inOrder, outOrder)));
        }

        return new SweepResult(spec, settings, configs.Count + refused.Count, refused, ranking, folds, screenTime.Elapsed, elapsed.Elapsed);
    }

    /// <summary>Risk's position size and the vote's settings as the backtest's silo would have them: the installation's, then the spec's settings.</summary>
    private static ScreenTerms Terms(BacktestSpec spec, IConfiguration installation)
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(installation)
            .AddInMemoryCollection((spec.Settings ?? new Dictionary<string, string>()).Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var limits = configuration.GetSection(RiskOptions.SectionName).Get<RiskLimits>() ?? new RiskLimits();
        var signals = configuration.GetSection(SignalOptions.SectionName).Get<SignalOptions>() ?? new SignalOptions();
        return new ScreenTerms(spec.InitialCash, limits.PositionSizeFraction, signals, spec.EffectiveFills);
    }

    private static Dictionary<string, IReadOnlyList<Candle>> Load(HistoricalData data, IReadOnlyList<string> symbols, DateTimeOffset from, DateTimeOffset to) =>
        symbols.ToDictionary(s => s, s => data.Bars(s, from, to), StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyList<Candle>> Slice(Dictionary<string, IReadOnlyList<Candle>> bars, DateTimeOffset from, DateTimeOffset to) =>
        bars.ToDictionary(b => b.Key, b => (IReadOnlyList<Candle>)b.Value.Where(c => c.OpenTime >= from && c.OpenTime < to).ToList(), StringComparer.Ordinal);

    /// <summary>Every config screened, in parallel over the cores; the results in the configs' order.</summary>
    private static ScreenResult[] Screen(
        IReadOnlyList<StrategyConfig> configs, ScreenBars bars, ScreenTerms terms, ModelStore models,
        string phase, IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new ScreenResult[configs.Count];
        var done = 0;
        Parallel.For(0, configs.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            results[i] = StrategyScreen.Run(configs[i], bars, terms, models);
            progress?.Report(new SweepProgress(phase, Interlocked.Increment(ref done), configs.Count));
        });
        return results;
    }

    /// <summary>Indexes best first: by the ranking's figure (a missing Sharpe last), then the total return, then the grid's order.</summary>
    private static List<int> Rank(IReadOnlyList<ScreenResult> screens, SweepRanking by) =>
        [.. Enumerable.Range(0, screens.Count)
            .OrderByDescending(i => by == SweepRanking.Sharpe ? screens[i].Summary.Sharpe ?? double.NegativeInfinity : screens[i].Summary.TotalReturn)
            .ThenByDescending(i => screens[i].Summary.TotalReturn)
            .ThenBy(i => i)];

    private static async Task<PerformanceSummary> FullPipeline(
        BacktestSpec spec, IConfiguration installation, BacktestInstallation here, CancellationToken cancellationToken, ILoggerFactory? logging)
    {
        var audit = Path.Combine(Path.GetTempPath(), "trading-orleans-sweeps", Guid.NewGuid().ToString("N"), "audit.jsonl");
        try
        {
            var recording = await BacktestEngine.RunAsync(spec, installation, here.Data, audit, progress: null, cancellationToken, logging);
            return BacktestResult.Of(recording).Summary;
        }
        finally
        {
            // A confirmation's audit trail is not kept: the sweep's files are its record.
            if (Directory.Exists(Path.GetDirectoryName(audit)))
            {
                Directory.Delete(Path.GetDirectoryName(audit)!, recursive: true);
            }
        }
    }

    /// <summary>The starts of k + 1 equal windows of the period (none for k = 0).</summary>
    private static List<DateTimeOffset> Windows(DateTimeOffset from, DateTimeOffset to, int folds) =>
        folds == 0 ? [] : [.. Enumerable.Range(0, folds + 1).Select(i => from + (to - from) * i / (folds + 1))];

    /// <summary>Spearman's rank correlation of two rankings of the same items (each a list of indexes, best first); null below 3 items.</summary>
    internal static double? Spearman(IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        var n = first.Count;
        if (n < 3)
        {
            return null;
        }

        var rankInSecond = new int[n];
        for (var place = 0; place < n; place++)
        {
            rankInSecond[second[place]] = place;
        }

        double squares = 0;
        for (var place = 0; place < n; place++)
        {
            var d = place - rankInSecond[first[place]];
            squares += (double)d * d;
        }

        return 1 - 6 * squares / ((double)n * ((double)n * n - 1));
    }
}
