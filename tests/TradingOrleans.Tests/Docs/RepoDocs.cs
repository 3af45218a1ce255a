using System.Text.RegularExpressions;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Tests.Docs;

/// <summary>The repository's Markdown documentation: README.md and every page under docs/.</summary>
public static partial class RepoDocs
{
    /// <summary>The folder that holds TradingOrleans.sln.</summary>
    public static string Root { get; } = Path.GetDirectoryName(
        PathResolver.FindExisting("TradingOrleans.sln") ?? throw new FileNotFoundException("TradingOrleans.sln not found above the test's folders"))!;

    /// <summary>README.md and docs/**/*.md, as full paths.</summary>
    public static IReadOnlyList<string> Pages() =>
    [
        Path.Combine(Root, "README.md"),
        .. Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal),
    ];

    /// <summary>A path relative to the repository root, with forward slashes, for messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The lines of a page outside fenced code blocks, with their 1-based numbers; inline code removed unless kept.</summary>
    public static IEnumerable<(int Number, string Text)> ProseLines(string path, bool keepInlineCode = false)
    {
        var inFence = false;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (!inFence)
            {
                yield return (number, keepInlineCode ? line : InlineCode().Replace(line, ""));
            }
        }
    }

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();
}
