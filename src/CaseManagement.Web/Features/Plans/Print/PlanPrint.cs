using CaseManagement.Plans.Translations;
using NodaTime;

namespace CaseManagement.Web.Features.Plans.Print;

/// <summary>The print view of the plan: the case, the day, the language printed beside German and the choices offered.</summary>
public sealed record PlanPrintPage(CaseSummary Case, LocalDate Today, PlanLanguage Language)
{
    public const string View = "~/Features/Plans/Print/Print.cshtml";

    public bool Bilingual => Language.Code != "de";

    /// <summary>The German text of a fixed text, and the client's when the print is bilingual.</summary>
    public (string German, string? Client) Text(string key) => (PlanTranslations.German[key], Bilingual ? Language[key] : null);
}

public static class PlanPrint
{
    /// <summary>
    /// The language to print: the one asked for (ISO 639-1, <c>de</c> for German only), else the case's first language the
    /// plan prints in, else German. Null when the one asked for is not supported.
    /// </summary>
    public static PlanLanguage? Language(string? requested, CaseSummary plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.IsNullOrWhiteSpace(requested) ? PlanTranslations.Preferred(plan.Languages) : PlanTranslations.Find(requested);
    }
}
