using System.Globalization;
using System.Text.RegularExpressions;

namespace TradingOrleans.Grains.Observability;

/// <summary>
/// The files of one audit trail: the current file and the rotated ones beside it, named
/// <c>{name}.{sequence}.{rotated at, UTC}{extension}</c> (<c>audit.000003.20261206T153012Z.jsonl</c>); the sequence orders them.
/// Rotation renames the current file, so no event is copied or left behind; retention deletes whole rotated files.
/// </summary>
internal sealed class AuditFiles
{
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";
    private readonly AuditOptions _options;
    private readonly string _directory;
    private readonly string _name;
    private readonly string _extension;
    private readonly Regex _rotatedName;

    public AuditFiles(string currentPath, AuditOptions options)
    {
        CurrentPath = currentPath;
        _options = options;
        _directory = Path.GetDirectoryName(currentPath)!;
        _name = Path.GetFileNameWithoutExtension(currentPath);
        _extension = Path.GetExtension(currentPath);
        _rotatedName = new Regex($"^{Regex.Escape(_name)}\\.(?<sequence>\\d{{6,}})\\.(?<at>\\d{{8}}T\\d{{6}}Z){Regex.Escape(_extension)}$", RegexOptions.CultureInvariant);
    }

    public string CurrentPath { get; }

    /// <summary>Every file of the trail that exists, oldest first: the rotated ones by sequence, then the current one.</summary>
    public IReadOnlyList<string> OldestFirst()
    {
        var rotated = Rotated().Select(r => r.Path).ToList();
        if (File.Exists(CurrentPath))
        {
            rotated.Add(CurrentPath);
        }

        return rotated;
    }

    /// <summary>Whether an event of <paramref name="lineBytes"/> must start a new file: the current one is full, or was last written on an earlier UTC day.</summary>
    public bool RotationDue(long currentBytes, DateOnly? currentDay, long lineBytes, DateTimeOffset now) =>
        currentBytes > 0
        && ((_options.MaxFileBytes is { } max && currentBytes + lineBytes > max)
            || (_options.RotateDaily && currentDay is { } day && day != DateOnly.FromDateTime(now.UtcDateTime)));

    /// <summary>Renames the current file to the next rotated name, then applies retention; returns whether retention deleted any file.</summary>
    public bool Rotate(DateTimeOffset now)
    {
        var next = Rotated().Select(r => r.Sequence).DefaultIfEmpty(0).Max() + 1;
        var rotatedPath = Path.Combine(_directory,
            $"{_name}.{next.ToString("D6", CultureInfo.InvariantCulture)}.{now.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture)}{_extension}");
        File.Move(CurrentPath, rotatedPath);
        return ApplyRetention(now);
    }

    /// <summary>Deletes the rotated files beyond <see cref="AuditOptions.RetainFiles"/> or older than <see cref="AuditOptions.RetainDays"/>.</summary>
    public bool ApplyRetention(DateTimeOffset now)
    {
        var newestFirst = Rotated().OrderByDescending(r => r.Sequence).ToList();
        var expired = newestFirst
            .Where((rotated, index) => index >= (_options.RetainFiles ?? int.MaxValue)
                || (_options.RetainDays is { } days && rotated.At < now.AddDays(-days)))
            .ToList();
        foreach (var file in expired)
        {
            File.Delete(file.Path);
        }

        return expired.Count > 0;
    }

    private IEnumerable<RotatedFile> Rotated() =>
        Directory.Exists(_directory)
            ? Directory.EnumerateFiles(_directory, $"{_name}.*{_extension}")
                .Select(path => (Path: path, Match: _rotatedName.Match(Path.GetFileName(path))))
                .Where(f => f.Match.Success)
                .Select(f => new RotatedFile(f.Path, long.Parse(f.Match.Groups["sequence"].Value, CultureInfo.InvariantCulture),
                    DateTimeOffset.ParseExact(f.Match.Groups["at"].Value, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
                .OrderBy(r => r.Sequence)
            : [];

    private sealed record RotatedFile(string Path, long Sequence, DateTimeOffset At);
}
