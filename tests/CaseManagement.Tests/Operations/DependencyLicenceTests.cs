using System.Xml.Linq;
using CaseManagement.Storage;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// Every direct package stays usable by a municipality without a licence key, a fee or the AGPL
/// (README, "Dependencies and licences"; versions in Directory.Packages.props).
/// </summary>
public sealed class DependencyLicenceTests
{
    /// <summary>Licences of the README table a municipality may use without a key or fee (Hangfire: LGPL-3.0, as a library; FsCheck: BSD-3-Clause, tests only).</summary>
    private static readonly HashSet<string> FreeLicences = new(StringComparer.Ordinal) { "MIT", "Apache-2.0", "MS-PL OR Apache-2.0", "PostgreSQL", "LGPL-3.0", "BSD-3-Clause" };

    /// <summary>The repository root: where migrations/ lies, found as the application finds it.</summary>
    private static readonly string Root = Path.GetDirectoryName(SchemaMigrator.LocateDirectory(null, AppContext.BaseDirectory))!;

    private static Dictionary<string, string> Packages() =>
        XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);

    /// <summary>The npm tools of the API contract tests (tools/openapi/package.json, exact versions).</summary>
    private static Dictionary<string, string> NpmPackages() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tools", "openapi", "package.json")))!["devDependencies"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    private static Version Release(string version) => Version.Parse(version.Split('-', '+')[0]);

    [Fact]
    public void No_package_that_needs_a_licence_key_or_names_the_AGPL_comes_back()
    {
        var packages = Packages();

        // AutoMapper 15 and newer need a paid key (RPL-1.5 or commercial); every version below 15.1.4 has reported flaws.
        Assert.DoesNotContain(packages.Keys, name => name.StartsWith("AutoMapper", StringComparison.OrdinalIgnoreCase));
        // PDFsharp (and MigraDoc) name the AGPL from 6.5 on.
        Assert.All(packages.Where(p => p.Key.StartsWith("PDFsharp", StringComparison.OrdinalIgnoreCase)),
            p => Assert.True(Release(p.Value) < new Version(6, 5), $"{p.Key} {p.Value} names the AGPL as its licence; pin 6.2.4 (MIT)."));
        // MediatR is commercially licensed from 13 on.
        Assert.All(packages.Where(p => p.Key.StartsWith("MediatR", StringComparison.OrdinalIgnoreCase)),
            p => Assert.True(Release(p.Value) < new Version(13, 0), $"{p.Key} {p.Value} needs a commercial licence."));
    }

    [Fact]
    public void Every_package_is_listed_in_the_README_with_its_version_and_a_licence_free_for_municipal_use()
    {
        var section = File.ReadAllText(Path.Combine(Root, "README.md")).Split("\n## ").Single(s => s.StartsWith("Dependencies and licences", StringComparison.Ordinal));
        var rows = section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1].Trim('`'), cells => (Version: cells[2], Licence: cells[3]), StringComparer.OrdinalIgnoreCase);

        foreach (var (name, version) in Packages().Concat(NpmPackages()))
        {
            Assert.True(rows.TryGetValue(name, out var row), $"{name} has no row in the README's \"Dependencies and licences\" table.");
            Assert.Equal((name, version), (name, row.Version));
            Assert.True(FreeLicences.Contains(row.Licence), $"{name}: licence \"{row.Licence}\" is not one a municipality may use without a key or fee.");
        }
    }
}
