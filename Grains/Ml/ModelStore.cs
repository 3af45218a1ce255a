using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// A trained model as saved: what it is (kind, symbol, version), how it was made (feature schema and scaler,
/// hyper-parameters, training and test periods, epoch or episode history) and how it did (walk-forward
/// evaluation), with its learned parameters — or, for ML.NET, its own metrics and saved model (base64 in <c>Blob</c>) —
/// and the calibration of its confidence (null in files saved before calibration: those keep the uncalibrated strength).
/// </summary>
public sealed record ModelFile(
    string Kind,
    string Symbol,
    int Version,
    DateTimeOffset CreatedAt,
    FeatureScaler Scaler,
    IReadOnlyDictionary<string, double> HyperParameters,
    DateTimeOffset TrainFrom,
    DateTimeOffset TrainTo,
    ModelEvaluation? Evaluation,
    IReadOnlyList<EpochReport> Training,
    double TargetScale,
    IReadOnlyList<double> Parameters,
    IReadOnlyList<EpisodeReport>? Episodes = null,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? Blob = null,
    ModelCalibration? Calibration = null)
{
    public const string CalibratedSizing = "calibrated: strength = max(0, 2p − 1), p = the calibrated probability that the call is right";

    public const string UncalibratedSizing = "uncalibrated: the model file has no calibration (saved before it existed), so strength is the model's raw formula";

    public string Name => $"{Kind}-{Symbol}-v{Version}";
}

/// <summary>Where models are kept (section <c>Trading:Models</c>).</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Trading:Models";

    /// <summary>Folder of model files (<c>{kind}-{symbol}-v{n}.json</c>), relative to the working directory.</summary>
    public string Directory { get; set; } = "models";
}

/// <summary>
/// Versioned model files in one folder: saving never overwrites (each save takes the next version), so a grain
/// that loaded version n keeps trading it until its config names another.
/// </summary>
public sealed partial class ModelStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Directory { get; } = directory;

    /// <summary>Why a model-served strategy is silent when its symbol has no trained model.</summary>
    public static string Missing(string kind, string symbol) => $"no trained {kind} model for {symbol}: run `train {kind} --symbol {symbol}`";

    /// <summary>
    /// A relative folder found from the working folder or the app folder upwards (so the API and the silo, run
    /// from their project folders, share the repository's <c>models/</c>); as given when none exists yet.
    /// </summary>
    public static string Resolve(string directory) => PathResolver.FindExisting(directory) ?? directory;

    /// <summary>Saves <paramref name="file"/> as the next version of its kind and symbol; returns it with that version.</summary>
    public ModelFile Save(ModelFile file)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var version = Versions(file.Kind, file.Symbol).DefaultIfEmpty(0).Max() + 1;
        var saved = file with { Version = version };
        var path = Path.Combine(Directory, $"{saved.Name}.json");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            JsonSerializer.Serialize(stream, saved, Json);
        }

        return saved;
    }

    /// <summary>Version <paramref name="version"/> of a kind and symbol, or the latest when it is 0; null when there is none.</summary>
    public ModelFile? Load(string kind, string symbol, int version = 0)
    {
        var chosen = version > 0 ? version : Versions(kind, symbol).DefaultIfEmpty(0).Max();
        var path = Path.Combine(Directory, $"{kind}-{symbol}-v{chosen}.json");
        if (chosen == 0 || !File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ModelFile>(stream, Json);
    }

    /// <summary>Every model in the folder, newest version first within each kind and symbol.</summary>
    public IReadOnlyList<ModelSummary> List() =>
        !System.IO.Directory.Exists(Directory) ? []
        : [.. System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(path => FileName().Match(Path.GetFileName(path)))
            .Where(m => m.Success)
            .Select(m => Load(m.Groups["kind"].Value, m.Groups["symbol"].Value, int.Parse(m.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OfType<ModelFile>()
            .OrderBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.Symbol, StringComparer.Ordinal).ThenByDescending(f => f.Version)
            .Select(Summary)];

    private static ModelSummary Summary(ModelFile file) => new(
        file.Name, file.Kind, file.Symbol, file.Version, file.CreatedAt, file.HyperParameters, file.TrainFrom, file.TrainTo, file.Evaluation,
        file.Training.Count + (file.Episodes?.Count ?? 0), file.Evaluation?.Verdict, file.Metrics,
        file.Calibration?.Report, file.Calibration is null ? ModelFile.UncalibratedSizing : ModelFile.CalibratedSizing);

    private IEnumerable<int> Versions(string kind, string symbol) =>
        !System.IO.Directory.Exists(Directory) ? []
        : System.IO.Directory.EnumerateFiles(Directory, $"{kind}-{symbol}-v*.json")
            .Select(path => FileName().Match(Path.GetFileName(path)))
            .Where(m => m.Success && m.Groups["kind"].Value == kind && m.Groups["symbol"].Value == symbol)
            .Select(m => int.Parse(m.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<kind>[a-z]+)-(?<symbol>[A-Z0-9]+)-v(?<version>\d+)\.json$")]
    private static partial Regex FileName();
}
