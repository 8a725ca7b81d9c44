using System.Collections.Frozen;
using System.Text.Json;

namespace CaseManagement.Plans.Translations;

/// <summary>
/// The fixed texts of the printed Integrationsplan in one language: headings, fields of action, statuses, step owners,
/// the signature block and the consent and data-protection notice. One embedded resource file per language
/// (<c>plan.&lt;code&gt;.json</c> next to this file); German is the source. <see cref="Reviewed"/> stays false until a
/// reviewer has confirmed the language, and the print says so (docs/client-language.md).
/// </summary>
public sealed record PlanLanguage(string Code, string Name, bool RightToLeft, bool Reviewed, IReadOnlyDictionary<string, string> Texts)
{
    public string this[string key] => Texts[key];

    public string Field(FieldOfAction field) => Texts["FieldOfAction." + field];

    public string Status(GoalStatus status) => Texts["GoalStatus." + status];

    public string Responsible(StepResponsible responsible) => Texts["StepResponsible." + responsible];

    /// <summary>
    /// The language with an organisation's own wording of single texts (keys the file does not have are ignored); the
    /// review state stays the file's (docs/client-language.md).
    /// </summary>
    public PlanLanguage WithOverrides(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (!overrides.Keys.Any(Texts.ContainsKey))
        {
            return this;
        }

        var texts = new Dictionary<string, string>(Texts, StringComparer.Ordinal);
        foreach (var (key, text) in overrides.Where(o => Texts.ContainsKey(o.Key)))
        {
            texts[key] = text;
        }

        return this with { Texts = texts };
    }
}

/// <summary>The languages the plan prints in, by ISO 639-1 code.</summary>
public static class PlanTranslations
{
    private const string Prefix = "CaseManagement.Plans.Translations.plan.";

    // Before the fields below: static initialisers run in the order written.
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<FrozenDictionary<string, PlanLanguage>> All = new(Load);

    /// <summary>German, the source language and the left-hand side of every print.</summary>
    public static PlanLanguage German => All.Value["de"];

    /// <summary>The client languages, ordered by code (German not included).</summary>
    public static IReadOnlyList<PlanLanguage> ClientLanguages { get; } =
        [.. All.Value.Values.Where(l => l.Code != "de").OrderBy(l => l.Code, StringComparer.Ordinal)];

    /// <summary>The codes accepted as <c>language</c>: German and every client language.</summary>
    public static IReadOnlyList<string> SupportedCodes { get; } = ["de", .. ClientLanguages.Select(l => l.Code)];

    public static PlanLanguage? Find(string? code) =>
        code is not null && All.Value.TryGetValue(code.Trim().ToLowerInvariant(), out var language) ? language : null;

    /// <summary>The first of the case's languages the plan prints in; German when none (then the print is German only).</summary>
    public static PlanLanguage Preferred(IEnumerable<string> caseLanguages)
    {
        ArgumentNullException.ThrowIfNull(caseLanguages);
        return caseLanguages.Select(Find).FirstOrDefault(l => l is not null && l.Code != "de") ?? German;
    }

    /// <summary>The German message for a language code the plan does not print in.</summary>
    public static string Unsupported(string code) =>
        $"Der Plan wird in der Sprache „{code}“ nicht gedruckt. Möglich sind (ISO 639-1): {string.Join(", ", SupportedCodes)}.";

    private static FrozenDictionary<string, PlanLanguage> Load()
    {
        var assembly = typeof(PlanTranslations).Assembly;
        var languages = new Dictionary<string, PlanLanguage>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var file = JsonSerializer.Deserialize<LanguageFile>(stream, JsonOptions)
                ?? throw new InvalidOperationException($"{name} is empty.");
            languages[file.Language] = new PlanLanguage(file.Language, file.Name, file.Direction == "rtl", file.Reviewed, file.Texts.ToFrozenDictionary());
        }

        return languages.ToFrozenDictionary();
    }

    private sealed record LanguageFile(string Language, string Name, string Direction, bool Reviewed, Dictionary<string, string> Texts);
}
