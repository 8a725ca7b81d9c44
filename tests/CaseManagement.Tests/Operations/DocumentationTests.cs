using System.Text;
using System.Text.RegularExpressions;
using CaseManagement.Storage;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// The repository explains itself (docs/domain.md): every relative link of its Markdown files (README.md, docs/)
/// lands inside the repository on a file or folder that exists, and a link to a heading finds that heading.
/// Links with a scheme (https:, mailto:) are not followed.
/// </summary>
public sealed partial class DocumentationTests
{
    /// <summary>The repository root: where migrations/ lies, found as the application finds it.</summary>
    private static readonly string Root = Path.GetDirectoryName(SchemaMigrator.LocateDirectory(null, AppContext.BaseDirectory))!;

    /// <summary>Folders that are build output, local data or tooling, not documentation of the repository.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        "bin", "obj", "node_modules", "benchmark-results", "TestResults",
    };

    [Fact]
    public void Every_relative_link_in_the_Markdown_files_lands_inside_the_repository_on_something_that_exists()
    {
        var files = MarkdownFiles(Root).ToList();
        Assert.Contains("README.md", files);
        Assert.Contains("docs/domain.md", files);

        var problems = files.SelectMany(file => MarkdownLinks.Problems(Root, file)).ToList();

        Assert.True(problems.Count == 0, "Broken links:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_link_check_reports_missing_targets_links_leaving_the_repository_absolute_paths_and_missing_headings()
    {
        var root = Directory.CreateTempSubdirectory("cm-doclinks-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "README.md"), "# Title\n\n## Data protection (DSGVO)\n\n## Förderzeitraum\n");
            File.WriteAllText(Path.Combine(root, "docs", "a.md"), """
                # A

                Fine: [readme](../README.md), [section](../README.md#data-protection-dsgvo), [umlaut](../README.md#förderzeitraum),
                [folder](../docs/), [here](#a), [web](https://eur-lex.europa.eu/eli/reg/2016/679/oj), [mail](mailto:x@example.org),
                [`code in the text`](a.md), `[in a code span](nowhere.md)`.

                ```
                [in a fenced block](nowhere.md)
                ```

                Broken: [missing](missing.md), [outside](../../shared/DESIGN.md), [absolute](/work/shared/DESIGN.md),
                [file](file:///work/shared/DESIGN.md), [heading](../README.md#no-such-heading), [own heading](#nothing).

                [ref]: ../../elsewhere.md
                """);

            var problems = MarkdownLinks.Problems(root, "docs/a.md");

            string[] expected =
                [
                    "docs/a.md:11: missing.md — no such file or folder in the repository",
                    "docs/a.md:11: ../../shared/DESIGN.md — leaves the repository",
                    "docs/a.md:11: /work/shared/DESIGN.md — absolute path; link relative to the file",
                    "docs/a.md:12: file:///work/shared/DESIGN.md — absolute path; link relative to the file",
                    "docs/a.md:12: ../README.md#no-such-heading — no heading \"no-such-heading\" in README.md",
                    "docs/a.md:12: #nothing — no heading \"nothing\" in docs/a.md",
                    "docs/a.md:14: ../../elsewhere.md — leaves the repository",
                ];
            Assert.Equal(expected, problems);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Every Markdown file of the repository (paths relative to the root, with '/').</summary>
    private static IEnumerable<string> MarkdownFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.md"))
            {
                yield return Path.GetRelativePath(root, file).Replace('\\', '/');
            }

            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                var name = Path.GetFileName(sub);
                if (!name.StartsWith('.') && !SkippedFolders.Contains(name))
                {
                    pending.Push(sub);
                }
            }
        }
    }

    /// <summary>Finds the links of a Markdown file and says what is wrong with each (nothing for a good one).</summary>
    private static partial class MarkdownLinks
    {
        public static List<string> Problems(string root, string file)
        {
            var fullRoot = Path.GetFullPath(root);
            var path = Path.Combine(fullRoot, file);
            var folder = Path.GetDirectoryName(path)!;
            var problems = new List<string>();
            foreach (var (line, target) in Links(File.ReadAllLines(path)))
            {
                if (Problem(fullRoot, folder, path, target) is { } problem)
                {
                    problems.Add($"{file}:{line}: {target} — {problem}");
                }
            }

            return problems;
        }

        private static string? Problem(string root, string folder, string file, string target)
        {
            if (target.StartsWith('#'))
            {
                return HeadingProblem(root, file, target[1..]);
            }

            var scheme = Scheme().Match(target);
            if (target.StartsWith('/') || target.StartsWith('\\') || target.StartsWith('~')
                || (scheme.Success && (scheme.Groups[1].Length == 1 || scheme.Groups[1].Value.Equals("file", StringComparison.OrdinalIgnoreCase))))
            {
                return "absolute path; link relative to the file";
            }

            if (scheme.Success)
            {
                return null;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var relative = Uri.UnescapeDataString((hash < 0 ? target : target[..hash]).Split('?')[0]);
            var resolved = Path.GetFullPath(Path.Combine(folder, relative));
            if (resolved != root && !resolved.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return "leaves the repository";
            }

            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                return "no such file or folder in the repository";
            }

            return hash >= 0 && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                ? HeadingProblem(root, resolved, target[(hash + 1)..])
                : null;
        }

        private static string? HeadingProblem(string root, string markdownFile, string anchor)
        {
            var wanted = Uri.UnescapeDataString(anchor);
            return wanted.Length == 0 || Anchors(File.ReadAllLines(markdownFile)).Contains(wanted)
                ? null
                : $"no heading \"{wanted}\" in {Path.GetRelativePath(root, markdownFile).Replace('\\', '/')}";
        }

        /// <summary>Link targets with their line numbers: inline links and images, and reference definitions; not in code.</summary>
        private static IEnumerable<(int Line, string Target)> Links(string[] lines)
        {
            foreach (var (number, text) in Prose(lines))
            {
                var withoutCode = CodeSpan().Replace(text, "code");
                foreach (Match link in InlineLink().Matches(withoutCode))
                {
                    yield return (number, link.Groups["target"].Value.Trim('<', '>'));
                }

                if (ReferenceDefinition().Match(withoutCode) is { Success: true } definition)
                {
                    yield return (number, definition.Groups["target"].Value.Trim('<', '>'));
                }
            }
        }

        /// <summary>The heading anchors GitHub gives a Markdown file (lower case, punctuation dropped, spaces to '-', repeats numbered).</summary>
        private static HashSet<string> Anchors(string[] lines)
        {
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (_, text) in Prose(lines))
            {
                foreach (Match html in HtmlAnchor().Matches(text))
                {
                    anchors.Add(html.Groups[1].Value);
                }

                if (Heading().Match(text) is not { Success: true } heading)
                {
                    continue;
                }

                var words = InlineLink().Replace(heading.Groups[1].Value, link => link.Groups["text"].Value);
                var slug = new StringBuilder();
                foreach (var c in words.ToLowerInvariant())
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

        /// <summary>The lines outside fenced code blocks, numbered from 1.</summary>
        private static IEnumerable<(int Number, string Text)> Prose(string[] lines)
        {
            string? fence = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
                {
                    fence = trimmed[..3];
                }
                else if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }
                else if (fence is null)
                {
                    yield return (i + 1, lines[i]);
                }
            }
        }

        [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*):")]
        private static partial Regex Scheme();

        [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
        private static partial Regex CodeSpan();

        [GeneratedRegex(@"!?\[(?<text>[^\[\]]*)\]\((?<target><[^>]*>|[^)\s]+)(?:\s+""[^""]*"")?\)")]
        private static partial Regex InlineLink();

        [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target><[^>]*>|\S+)")]
        private static partial Regex ReferenceDefinition();

        [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")]
        private static partial Regex Heading();

        [GeneratedRegex(@"<a\s+(?:id|name)=""([^""]+)""")]
        private static partial Regex HtmlAnchor();
    }
}
