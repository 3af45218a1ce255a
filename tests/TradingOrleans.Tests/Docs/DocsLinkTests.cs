using System.Text;
using System.Text.RegularExpressions;

namespace TradingOrleans.Tests.Docs;

/// <summary>
/// The README and docs/ link only inside the repository, and every link resolves: to a file or folder that exists
/// and, for <c>page.md#heading</c>, to a heading of that page.
/// </summary>
public sealed partial class DocsLinkTests
{
    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_resolves_inside_the_repository()
    {
        var problems = new List<string>();
        var links = 0;
        foreach (var page in RepoDocs.Pages())
        {
            foreach (var (number, text) in RepoDocs.ProseLines(page))
            {
                var where = $"{RepoDocs.Relative(page)}:{number}";
                foreach (var target in Targets(text))
                {
                    links++;
                    if (Problem(page, target) is { } problem)
                    {
                        problems.Add($"{where}: link '{target}' {problem}");
                    }
                }

                foreach (Match bare in BareUrl().Matches(Autolink().Replace(MarkdownLink().Replace(text, ""), "")))
                {
                    problems.Add($"{where}: '{bare.Value}' is an address outside the repository; put it in `code` if it is a value to type, or leave it out");
                }
            }
        }

        Assert.True(links >= 10, $"only {links} links found in README.md and docs/: is the link pattern right?");
        Assert.True(problems.Count == 0,
            $"{problems.Count} broken or outside link(s) in the docs (links must be relative paths to files or folders of this repository):\n"
            + string.Join("\n", problems));
    }

    /// <summary>Why a link is wrong, or null when it resolves.</summary>
    private static string? Problem(string page, string target)
    {
        if (SchemePrefix().IsMatch(target))
        {
            return "leaves the repository (the docs link only to files of this repository)";
        }

        if (target.StartsWith('/') || target.StartsWith('\\'))
        {
            return "is an absolute path; write it relative to the page";
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var resolved = pathPart.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, pathPart));

        var root = RepoDocs.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(root, StringComparison.Ordinal) && resolved + Path.DirectorySeparatorChar != root)
        {
            return $"resolves to {resolved}, outside the repository";
        }

        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            return $"points at {RepoDocs.Relative(resolved)}, which does not exist";
        }

        if (!string.IsNullOrEmpty(anchor) && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
        {
            return $"names the heading #{anchor}, which {RepoDocs.Relative(resolved)} does not have (its headings: {string.Join(", ", Anchors(resolved).Select(a => "#" + a))})";
        }

        return null;
    }

    /// <summary>The targets of inline links and images <c>[text](target)</c>, reference definitions and autolinks on one line.</summary>
    private static IEnumerable<string> Targets(string line)
    {
        foreach (Match link in MarkdownLink().Matches(line))
        {
            yield return link.Groups["target"].Value.Trim('<', '>');
        }

        if (ReferenceDefinition().Match(line) is { Success: true } definition)
        {
            yield return definition.Groups["target"].Value.Trim('<', '>');
        }

        foreach (Match auto in Autolink().Matches(line))
        {
            yield return auto.Groups["target"].Value;
        }
    }

    /// <summary>GitHub's heading anchors of a page: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, text) in RepoDocs.ProseLines(page, keepInlineCode: true))
        {
            if (Heading().Match(text) is not { Success: true } heading)
            {
                continue;
            }

            var slug = new StringBuilder();
            foreach (var c in heading.Groups["title"].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?<target>[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")]
    private static partial Regex Autolink();

    [GeneratedRegex(@"\b(https?|wss?|ftp)://[^\s)>|]+")]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePrefix();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}
