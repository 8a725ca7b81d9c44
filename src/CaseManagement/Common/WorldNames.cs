using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CaseManagement.Common;

/// <summary>A country or language as it is stored (ISO code) and shown (German name).</summary>
public sealed record NamedCode(string Code, string Name);

/// <summary>
/// Staatsangehörigkeit: ISO 3166-1 alpha-2 codes (and XK, Kosovo) stored, German names shown. The names come from the
/// ICU data of .NET (CLDR), never typed by hand. Every view, list, export and printout shows <see cref="Name"/>;
/// every input (forms, API, imports) goes through <see cref="Code"/>, which takes the code or the German name.
/// </summary>
public static class CountryNames
{
    // ICU knows a few regions that are no ISO 3166-1 country (Ceuta und Melilla, Kanarische Inseln, Diego Garcia).
    private static readonly FrozenSet<string> NotCountries = FrozenSet.ToFrozenSet(["EA", "IC", "DG"], StringComparer.Ordinal);

    /// <summary>Other spellings offices use (besides the German and English names ICU knows).</summary>
    private static readonly (string Text, string Code)[] Aliases =
    [
        ("Bosnien-Herzegowina", "BA"), ("Demokratische Republik Kongo", "CD"), ("Kongo", "CG"), ("Elfenbeinküste", "CI"),
        ("Moldau", "MD"), ("Palästina", "PS"), ("Russische Föderation", "RU"), ("Tschetschenien", "RU"), ("Weißrussland", "BY"),
        ("Hongkong", "HK"), ("Macau", "MO"), ("USA", "US"), ("Großbritannien", "GB"), ("Tschechische Republik", "CZ"),
    ];

    /// <summary>Every country, by German name.</summary>
    public static IReadOnlyList<NamedCode> All { get; }

    private static readonly FrozenDictionary<string, string> Names;
    private static readonly FrozenDictionary<string, string> Codes;

    static CountryNames()
    {
        var english = CultureInfo.GetCultureInfo("en");
        var regions = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => c.Name.Split('-')[^1])
            .Where(r => r.Length == 2 && r.All(char.IsAsciiLetterUpper) && !NotCountries.Contains(r))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var names = WorldNameCulture.German(() => regions.ToDictionary(r => r, r => Inside(CultureInfo.GetCultureInfo("en-" + r).DisplayName, english.DisplayName)));
        var englishNames = WorldNameCulture.In(english, () => regions.ToDictionary(r => r, r => Inside(CultureInfo.GetCultureInfo("en-" + r).DisplayName, english.DisplayName)));
        Names = names.ToFrozenDictionary(StringComparer.Ordinal);
        All = names.Select(n => new NamedCode(n.Key, n.Value)).OrderBy(n => n.Name, StringComparer.Create(CultureInfo.GetCultureInfo("de-DE"), true)).ToList();
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in Aliases.Select(a => (a.Code, a.Text)).Concat(names.Select(n => (n.Key, n.Value))).Concat(englishNames.Select(n => (n.Key, n.Value))))
        {
            codes[WorldNameCulture.Normalise(name)] = code;
        }

        Codes = codes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The German name of a stored code; an unknown code as it is; null for none.</summary>
    public static string? Name(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : Names.GetValueOrDefault(code.Trim().ToUpperInvariant(), code.Trim());

    /// <summary>The code of a code or a German (or English) name, in any case; null when there is no such country.</summary>
    public static string? Code(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 2 && Names.ContainsKey(trimmed.ToUpperInvariant()))
        {
            return trimmed.ToUpperInvariant();
        }

        return Codes.GetValueOrDefault(WorldNameCulture.Normalise(trimmed));
    }

    // "Englisch (Syrien)" → "Syrien": ICU names the region inside the brackets of a culture's display name.
    private static string Inside(string displayName, string languageName) =>
        displayName.StartsWith(languageName + " (", StringComparison.Ordinal) && displayName.EndsWith(')')
            ? displayName[(languageName.Length + 2)..^1]
            : displayName;
}

/// <summary>
/// Sprachen: ISO 639-1 codes (and the ISO 639-3 codes of languages without one that the programme meets: Dari,
/// Zentralkurdisch, Kurmandschi) stored, German names shown, from the ICU data of .NET (CLDR).
/// </summary>
public static class LanguageNames
{
    private static readonly string[] ThreeLetter = ["prs", "ckb", "kmr"];

    /// <summary>Other spellings offices use (besides the German and English names ICU knows).</summary>
    private static readonly (string Text, string Code)[] Aliases =
    [
        ("Farsi", "fa"), ("Paschto", "ps"), ("Kurmandschi", "kmr"), ("Kurmanci", "kmr"), ("Sorani", "ckb"), ("Tigrinisch", "ti"),
    ];

    /// <summary>Every language, by German name.</summary>
    public static IReadOnlyList<NamedCode> All { get; }

    private static readonly FrozenDictionary<string, string> Names;
    private static readonly FrozenDictionary<string, string> Codes;

    static LanguageNames()
    {
        var codes = CultureInfo.GetCultures(CultureTypes.NeutralCultures).Select(c => c.Name).Where(n => n.Length == 2).Concat(ThreeLetter).Distinct().ToList();
        var names = WorldNameCulture.German(() => codes.ToDictionary(c => c, c => CultureInfo.GetCultureInfo(c).DisplayName));
        names["kmr"] = "Kurdisch (Kurmandschi)"; // ICU names it like "ku"; the list must tell them apart
        var englishNames = WorldNameCulture.In(CultureInfo.GetCultureInfo("en"), () => codes.ToDictionary(c => c, c => CultureInfo.GetCultureInfo(c).DisplayName));
        Names = names.ToFrozenDictionary(StringComparer.Ordinal);
        All = names.Select(n => new NamedCode(n.Key, n.Value)).OrderBy(n => n.Name, StringComparer.Create(CultureInfo.GetCultureInfo("de-DE"), true)).ToList();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in englishNames.Select(n => (n.Key, n.Value)).Concat(Aliases.Select(a => (a.Code, a.Text))).Concat(names.Select(n => (n.Key, n.Value))))
        {
            byName.TryAdd(WorldNameCulture.Normalise(name), code);
        }

        byName[WorldNameCulture.Normalise("Kurdisch")] = "ku";
        Codes = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The German name of a stored code; an unknown code as it is; null for none.</summary>
    public static string? Name(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : Names.GetValueOrDefault(code.Trim().ToLowerInvariant(), code.Trim());

    /// <summary>German names of stored codes, separated by commas ("–" for none).</summary>
    public static string List(IEnumerable<string>? codes) =>
        codes?.Select(Name).OfType<string>().ToList() is { Count: > 0 } names ? string.Join(", ", names) : "–";

    /// <summary>The code of a code or a German (or English) name, in any case; null when there is no such language.</summary>
    public static string? Code(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length is 2 or 3 && Names.ContainsKey(trimmed.ToLowerInvariant()))
        {
            return trimmed.ToLowerInvariant();
        }

        return Codes.GetValueOrDefault(WorldNameCulture.Normalise(trimmed));
    }
}

internal static class WorldNameCulture
{
    public static T German<T>(Func<T> read) => In(CultureInfo.GetCultureInfo("de-DE"), read);

    /// <summary>ICU names cultures in the current UI culture: read them in the one asked for.</summary>
    public static T In<T>(CultureInfo culture, Func<T> read)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = culture;
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Letters and digits only, lower case: "Bosnien und Herzegowina" and "bosnien-und-herzegowina" match.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
