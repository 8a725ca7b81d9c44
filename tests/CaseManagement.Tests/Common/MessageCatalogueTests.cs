using System.Text.RegularExpressions;
using CaseManagement.Storage;

namespace CaseManagement.Tests.Common;

/// <summary>
/// Each German sentence of the domain exists once (issue 15, item 2): a sentence two places say lives in the
/// catalogue (src/CaseManagement/Common/Messages.cs) and both places use it from there.
/// </summary>
public sealed partial class MessageCatalogueTests
{
    private static readonly string Domain = Path.Combine(
        Path.GetDirectoryName(SchemaMigrator.LocateDirectory(null, AppContext.BaseDirectory))!, "src", "CaseManagement");

    /// <summary>A string literal (plain or interpolated) that reads as a sentence: capital first, four words or more, a final stop.</summary>
    [GeneratedRegex("""\$?"(?<text>[A-ZÄÖÜ][^"\r\n]*\s[^"\r\n]*\s[^"\r\n]*\s[^"\r\n]*[.?!])"(?!\s*\+)""")]
    private static partial Regex Sentence();

    [Fact]
    public void No_German_sentence_of_the_domain_is_written_twice()
    {
        var places = Directory.EnumerateFiles(Domain, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (line, where: $"{Path.GetRelativePath(Domain, file)}:{index + 1}")))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => Sentence().Matches(l.line).Select(m => (text: m.Groups["text"].Value, l.where)))
            .ToList();

        Assert.True(places.Count > 100, $"the scan found only {places.Count} sentences — is it still reading the domain?");
        var twice = places.GroupBy(p => p.text, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"„{g.Key}“ in {string.Join(", ", g.Select(p => p.where))}").ToList();
        Assert.True(twice.Count == 0, "Sentences written more than once (move them to Common/Messages.cs):\n" + string.Join("\n", twice));
    }
}
